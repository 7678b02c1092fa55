from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "marac.orders"
    label = "orders"
