"""Chibo: the work platform of grassroots party cells and mass organisations."""
