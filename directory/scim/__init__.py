"""SCIM 2.0 provisioning (RFC 7643, RFC 7644) for Entra ID's provisioning
service: /scim/v2/Users, /Groups, /ServiceProviderConfig, /Schemas,
/ResourceTypes. The payloads are parsed, validated, patched and written by
scim2-models; the views here only map them to Kontakt's accounts."""
