"""The signals topic (SNS) as the notifier (``kernel.ports.Notifier``)."""
from __future__ import annotations

import json
import logging
from typing import Any

from .aws import client

log = logging.getLogger("sunlit.notify")


class SnsNotifier:
    """Publishes to the topic; without a topic (a stage with no subscribers) it does nothing.

    A failed publication is logged, never raised: the signal it announces is already stored.
    """

    def __init__(self, topic_arn: str):
        self.topic_arn = topic_arn

    def notify(self, subject: str, message: dict[str, Any], attributes: dict[str, str]) -> None:
        if not self.topic_arn:
            return
        try:
            client("sns").publish(
                TopicArn=self.topic_arn, Subject=subject[:99], Message=json.dumps(message, ensure_ascii=False),
                MessageAttributes={k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()})
        except Exception:  # noqa: BLE001 - a notification failure must not lose the signal itself
            log.warning("notification failed for %s", message.get("id"))
