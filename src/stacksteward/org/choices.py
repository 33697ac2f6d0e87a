from django.db import models


class DepartmentKindChoices(models.TextChoices):
    MARKETING = "marketing", "Marketing"
    IT = "it", "IT"
    LEGAL = "legal", "Legal"
    PROCUREMENT = "procurement", "Procurement"
    PR = "pr", "PR"
    PRODUCT = "product", "Product"
    DATA = "data", "Data"
    FINANCE = "finance", "Finance"
    SALES = "sales", "Sales"
    OTHER = "other", "Other"


class PersonArchetypeChoices(models.TextChoices):
    """Martech role archetypes: the four hats of marketing technologists."""

    MAESTRO = "maestro", "Maestro (runs marketing operations)"
    MARKETER = "marketer", "Marketer (uses the tools to reach customers)"
    MAKER = "maker", "Maker (builds and integrates)"
    MODELER = "modeler", "Modeler (analyses the data)"
    NONE = "none", "None"
