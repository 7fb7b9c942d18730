from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "统计表与登记表"
