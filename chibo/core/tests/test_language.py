from django.conf import settings
from django.urls import reverse


def test_vietnamese_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_english_once_chosen_with_the_switch(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "en"
