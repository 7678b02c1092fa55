"""Claiming and replaying idempotency keys.

The key row is inserted inside the request's transaction, before the write. A
concurrent request with the same key blocks on the unique index until the first
commits (then it reads the stored response and replays it) or rolls back (then it
goes ahead itself). So N concurrent replays produce one object."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import IdempotencyRecord

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


class KeyReusedWithDifferentRequest(Exception):
    pass


@dataclass
class Claim:
    record: IdempotencyRecord
    replay: bool  # True: the stored response is the answer


def request_fingerprint(method: str, path: str, body) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


def claim_key(user, key: str, fingerprint: str) -> Claim:
    """Must run inside the transaction that performs the write."""
    now = timezone.now()
    IdempotencyRecord.objects.filter(user=user, key=key, created_at__lt=now - KEY_LIFETIME).delete()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(user=user, key=key, request_hash=fingerprint, created_at=now)
        return Claim(record, replay=False)
    except IntegrityError:
        # Another request holds (or held) the key; after it committed we can read it.
        record = IdempotencyRecord.objects.get(user=user, key=key)
    if record.request_hash != fingerprint:
        raise KeyReusedWithDifferentRequest()
    return Claim(record, replay=True)


def store_response(record: IdempotencyRecord, status_code: int, body, headers: dict, *, object_type: str = "",
                   object_id="") -> None:
    IdempotencyRecord.objects.filter(pk=record.pk).update(status_code=status_code, response_body=body,
                                                          response_headers=headers, object_type=object_type,
                                                          object_id=str(object_id))


def sweep_expired_keys(today: date) -> int:
    """Daily sweep step: forget keys older than 24 hours. Set-based, idempotent."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - KEY_LIFETIME).delete()
    return deleted
