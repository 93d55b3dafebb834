from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if settings.SECRET_KEY.startswith("dev-insecure"):
        return [checks.Warning("SECRET_KEY is the development default.", id="klimapakt.W001",
                               hint="Set SECRET_KEY in the environment.")]
    return []
