from django.apps import AppConfig


class DocumentationConfig(AppConfig):
    name = "warning_system.documentation"
    label = "documentation"
    verbose_name = "Documentation"
