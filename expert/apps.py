from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "expert"
    verbose_name = _("Экспертная система")

    def ready(self):
        # The profile's and the journey map's blocks on the article page, and
        # their fields in the article's search text (articles.companions).
        from articles.companions import companion_register
        from articles.models import Article
        from expert import companions

        companion_register(
            kind=Article.Kind.PROFILE,
            loader=companions.profile_block,
            texts=companions.profile_texts,
        )
        companion_register(
            kind=Article.Kind.ROUTE, loader=companions.journey_block, texts=companions.journey_texts
        )
