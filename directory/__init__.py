"""Staff from the municipality's directory (Microsoft Entra ID): sign-in
with OpenID Connect (directory/entra/), the mapping of directory groups to
Kontakt's roles and units (directory/mapping.py), and SCIM 2.0 provisioning
(directory/scim/). Sits above cases: the mapping names units."""
