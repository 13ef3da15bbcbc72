"""/scim/v2/: the tenant URL to give Entra's provisioning is <SITE_URL>/scim/v2."""

from django.urls import path, re_path

from directory.scim import views

app_name = "scim"

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="service_provider_config"),
    path("ResourceTypes", views.resource_types, name="resource_types"),
    path("ResourceTypes/<str:resource_id>", views.resource_types, name="resource_type"),
    path("Schemas", views.schemas, name="schemas"),
    path("Schemas/<str:resource_id>", views.schemas, name="schema"),
    path(".search", views.root_search, name="search"),
    path("Users", views.users, name="users"),
    path("Users/.search", views.users_search, name="users_search"),
    path("Users/<str:resource_id>", views.user, name="user"),
    path("Groups", views.groups, name="groups"),
    path("Groups/.search", views.groups_search, name="groups_search"),
    path("Groups/<str:resource_id>", views.group, name="group"),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
