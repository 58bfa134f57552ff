from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Pages assembled from every capability app: the top layer, which may import them all."""

    name = "safehub.pages"
    label = "pages"
