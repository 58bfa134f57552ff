"""The authenticator apps and recovery codes are changed only through Safehub's own audited pages
(a user's page in Administration, `users:user`): django-otp's admin pages, which show secrets and edit devices unaudited, are removed."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
