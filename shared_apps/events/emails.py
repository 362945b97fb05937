"""E-mail to contacts and participants, sent through Django's configured backend.

Every message is queued with ``transaction.on_commit``: an e-mail never announces a
change that was rolled back.
"""

import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def send_after_commit(
    template: str, recipients: Iterable[str], context: Mapping[str, object]
) -> None:
    """Render ``events/email/<template>`` in Dutch and send it to each recipient once committed."""
    addresses = sorted(set(recipients))
    if not addresses:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(f"events/email/{template}.txt", dict(context))
    subject, _sep, text = body.strip().partition("\n")

    def deliver() -> None:
        for address in addresses:
            send_mail(subject.strip(), text.strip() + "\n", None, [address])
        logger.info("events mail sent", extra={"template": template, "count": len(addresses)})

    transaction.on_commit(deliver)
