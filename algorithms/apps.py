from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlgorithmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "algorithms"
    verbose_name = _("Алгоритмы оказания услуг")

    def ready(self):
        from algorithms.selectors import article_block, articles_texts
        from articles.companions import companion_register
        from articles.models import Article

        companion_register(kind=Article.Kind.ALGORITHM, loader=article_block, texts=articles_texts)
