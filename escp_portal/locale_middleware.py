"""The language a page is shown in.

Order of precedence: the language chosen with the switcher in this browser (Django's language
cookie), then the language saved on the signed-in user's account, then the browser's
Accept-Language header (Django's LocaleMiddleware, which runs first).
"""

from django.conf import settings
from django.utils import translation

from escp_portal.accounts.services import supported_languages


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = supported_languages()

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language in self.supported
            and user.language != request.LANGUAGE_CODE
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
