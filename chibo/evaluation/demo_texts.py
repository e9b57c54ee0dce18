"""Vietnamese texts of the demo's self-assessments, comments and unit reports.

Written the way members of a rural commune cell and of an agency cell write them in
their bản kiểm điểm: short, concrete, first person, with the tea harvest, the hamlet and
the office in them. Stored data, not interface: they are not translated.
"""

from __future__ import annotations

from chibo.core.vntext import fold

# Category of a criterion (by the words of its title) -> texts, {job} filled in.
SELF_TEXTS: dict[str, tuple[str, ...]] = {
    "politics": (
        "Luôn giữ vững lập trường, tư tưởng chính trị, tuyệt đối trung thành với Đảng; "
        "chấp hành nghiêm chủ trương của Đảng, chính sách, pháp luật của Nhà nước. Tham gia "
        "đầy đủ các buổi học tập nghị quyết, chuyên đề năm do chi bộ tổ chức.",
        "Có bản lĩnh chính trị vững vàng, không dao động trước những thông tin xấu độc trên "
        "mạng xã hội; tích cực chia sẻ các bài viết bảo vệ nền tảng tư tưởng của Đảng.",
        "Nghiên cứu, quán triệt các văn kiện, nghị quyết của Đảng và vận dụng vào công việc "
        "{job}; tuyên truyền để gia đình và bà con trong xóm cùng thực hiện.",
    ),
    "ethics": (
        "Có lối sống giản dị, trung thực, gần gũi với quần chúng; gia đình đạt danh hiệu gia "
        "đình văn hóa; không vi phạm những điều đảng viên không được làm.",
        "Giữ gìn phẩm chất đạo đức, lối sống lành mạnh; đoàn kết, giúp đỡ đồng chí, đồng "
        'nghiệp; không có biểu hiện suy thoái, "tự diễn biến", "tự chuyển hóa".',
        "Thực hiện tốt trách nhiệm nêu gương nơi cư trú, tham gia đầy đủ sinh hoạt ở xóm, "
        "vận động gia đình hiến đất làm đường giao thông nông thôn.",
    ),
    "discipline": (
        "Chấp hành nghiêm nguyên tắc tập trung dân chủ, tự phê bình và phê bình; sinh hoạt "
        "chi bộ đầy đủ, đóng đảng phí đúng hạn, đúng quy định.",
        "Có tác phong làm việc khoa học, đúng giờ, sâu sát cơ sở; giữ mối liên hệ với chi ủy "
        "nơi cư trú theo Quy định 213-QĐ/TW.",
        "Thực hiện đúng quy chế làm việc, phục tùng sự phân công của tổ chức; có ý thức tự "
        "giác trong học tập, rèn luyện.",
    ),
    "tasks": (
        "Hoàn thành các nhiệm vụ được chi bộ phân công; gia đình mở rộng diện tích chè an "
        "toàn, thu nhập ổn định, giúp đỡ hai hộ trong xóm kỹ thuật chăm sóc chè.",
        "Hoàn thành tốt nhiệm vụ {job}; thực hiện đúng bản cam kết tu dưỡng, rèn luyện, phấn "
        "đấu đầu năm; được cơ quan đánh giá hoàn thành tốt nhiệm vụ.",
        "Tham gia vận động nhân dân xây dựng nông thôn mới kiểu mẫu, vệ sinh môi trường; "
        "phụ trách nhóm hộ thực hiện tốt các phong trào của xóm.",
        "Thực hiện đúng kế hoạch cá nhân đã đăng ký, có một phần việc làm theo Bác được chi "
        "bộ ghi nhận; tham gia đầy đủ các đợt sinh hoạt chuyên đề.",
    ),
}
SELF_TEXTS["innovation"] = (
    "Mạnh dạn đề xuất cách làm mới: hướng dẫn bà con bán chè qua mạng, lập nhóm Zalo của "
    "xóm để thông tin kịp thời đến từng hộ.",
    "Chủ động nghiên cứu, áp dụng chuyển đổi số trong công việc {job}; sẵn sàng nhận "
    "việc khó khi chi bộ phân công.",
)
SELF_TEXTS["self_criticism"] = (
    "Thẳng thắn tự phê bình và phê bình trên tinh thần xây dựng; đã khắc phục hạn chế năm "
    "trước về việc nghiên cứu tài liệu chưa sâu.",
    "Tự soi, tự sửa thường xuyên; tiếp thu ý kiến góp ý của chi bộ và quần chúng nơi cư trú, "
    "có chuyển biến rõ trong tác phong làm việc.",
)
SELF_TEXTS["remedy"] = (
    "Hạn chế năm trước về tham gia ý kiến trong sinh hoạt chi bộ đã được khắc phục: năm nay "
    "phát biểu ở hầu hết các kỳ sinh hoạt.",
    "Đã khắc phục việc đóng đảng phí chậm; lập kế hoạch học tập nghị quyết và thực hiện "
    "đúng tiến độ.",
)
SELF_TEXTS["party_duties"] = (
    "Sinh hoạt chi bộ đầy đủ, đóng đảng phí đúng hạn; thực hiện tốt nhiệm vụ đảng viên nơi "
    "cư trú, phụ trách 5 hộ theo phân công của chi bộ.",
    "Giữ mối liên hệ với nhân dân, nắm tình hình tư tưởng của bà con để báo cáo chi bộ; "
    "tham gia tích cực các phong trào của xóm.",
)
STRENGTHS: tuple[str, ...] = (
    "Nhiệt tình, có trách nhiệm với công việc chung; đoàn kết, được quần chúng tín nhiệm.",
    "Gương mẫu nơi cư trú, gia đình chấp hành tốt chủ trương, chính sách; tích cực tham gia "
    "các phong trào của xóm.",
    "Chủ động học tập, nâng cao trình độ; hoàn thành công việc đúng tiến độ.",
    "Sinh hoạt chi bộ đầy đủ, phát biểu đóng góp xây dựng nghị quyết của chi bộ.",
)
SHORTCOMINGS: tuple[str, ...] = (
    "Có lúc chưa mạnh dạn phê bình; việc nghiên cứu tài liệu còn hạn chế do bận việc gia đình.",
    "Ứng dụng công nghệ thông tin trong công việc còn chậm; đôi khi chưa sắp xếp thời gian hợp lý.",
    "Tham gia ý kiến trong sinh hoạt chi bộ chưa nhiều; cần chủ động hơn trong việc tuyên "
    "truyền, vận động quần chúng.",
    "Có một lần đóng đảng phí chậm do đi làm xa; đã rút kinh nghiệm.",
)
REVIEWS: dict[str, tuple[str, ...]] = {
    "excellent": (
        "Chi bộ thống nhất đồng chí là đảng viên tiêu biểu, có nhiều đóng góp cho phong trào "
        "của xóm, đề nghị xếp loại hoàn thành xuất sắc nhiệm vụ.",
        "Đồng chí gương mẫu, hoàn thành xuất sắc nhiệm vụ được giao, có sản phẩm cụ thể được "
        "ghi nhận; tập thể chi bộ nhất trí cao.",
    ),
    "good": (
        "Đồng chí có ý thức trách nhiệm, hoàn thành tốt nhiệm vụ; cần phát huy hơn nữa vai "
        "trò nêu gương.",
        "Chi bộ nhất trí đồng chí hoàn thành tốt nhiệm vụ; đề nghị khắc phục hạn chế đã nêu.",
        "Tư tưởng vững vàng, lối sống lành mạnh, thực hiện tốt nhiệm vụ được phân công.",
    ),
    "pass": (
        "Đồng chí hoàn thành nhiệm vụ nhưng còn hạn chế trong sinh hoạt chi bộ, vắng một số "
        "buổi; đề nghị có biện pháp khắc phục.",
        "Do sức khỏe yếu, tham gia hoạt động của chi bộ còn hạn chế; tập thể đề nghị xếp loại "
        "hoàn thành nhiệm vụ.",
    ),
    "fail": (
        "Đồng chí vắng sinh hoạt nhiều lần không có lý do, chậm đóng đảng phí; chi bộ đã nhắc "
        "nhở nhưng chuyển biến chưa rõ.",
    ),
}
UNIT_TEXTS: tuple[str, ...] = (
    "Chi bộ duy trì sinh hoạt định kỳ đủ 12 kỳ, sinh hoạt chuyên đề hằng quý; lãnh đạo "
    "nhân dân hoàn thành các chỉ tiêu kinh tế – xã hội của xóm.",
    "Lãnh đạo thực hiện tốt phong trào xây dựng nông thôn mới kiểu mẫu; làm mới đường giao "
    "thông nội đồng, không có hộ tái nghèo.",
    "Công tác phát triển đảng viên đạt chỉ tiêu; thu, nộp đảng phí đầy đủ, đúng quy định.",
    "Chi bộ lãnh đạo cơ quan hoàn thành nhiệm vụ chuyên môn; thực hiện tốt quy chế dân chủ "
    "ở cơ sở.",
)
UNIT_SHORTCOMINGS: tuple[str, ...] = (
    "Nội dung sinh hoạt có kỳ còn dàn trải, chưa nhiều ý kiến đóng góp.",
    "Việc ứng dụng công nghệ thông tin trong quản lý đảng viên còn chậm.",
    "Một số đảng viên cao tuổi tham gia sinh hoạt chưa đều.",
)
WOMEN_TEXTS: tuple[str, ...] = (
    "Chi hội duy trì sinh hoạt đều đặn, vận động hội viên tiết kiệm, giúp nhau phát triển "
    "kinh tế; mô hình hũ gạo tình thương hoạt động hiệu quả.",
    "Chi hội tham gia tích cực phong trào xây dựng gia đình 5 không, 3 sạch; phát triển thêm "
    "hội viên mới.",
)
DISCIPLINE = "Khiển trách, Quyết định số 15-QĐ/ĐU ngày 12/9/%(year)s của Đảng ủy xã"
JOBS = ("trồng chè", "chăn nuôi", "công tác ở xã", "giảng dạy", "khám chữa bệnh", "của cơ quan")


def criterion_kind(title: str) -> str:
    """Which pool a criterion's title belongs to, by its words."""
    words = fold(title)
    if "doi moi" in words or "sang tao" in words:
        return "innovation"
    if "tu phe binh" in words:
        return "self_criticism"
    if "khac phuc" in words:
        return "remedy"
    if "nhiem vu dang vien" in words:
        return "party_duties"
    if "chinh tri" in words or "tu tuong" in words:
        return "politics"
    if "dao duc" in words or "loi song" in words:
        return "ethics"
    if "tac phong" in words or "ky luat" in words or "le loi" in words:
        return "discipline"
    return "tasks"
