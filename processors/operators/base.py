"""Shared parameters of phirewall's operators."""

from __future__ import annotations

from typing import Any

from processors.entities import EntityType
from processors.errors import DetectionError
from processors.policy import Action
from processors.tokens import Tokenizer


def entity_of(params: dict[str, Any] | None) -> EntityType:
    """Return the entity type an operator was called for."""
    try:
        return EntityType((params or {})["entity_type"])
    except (KeyError, ValueError):
        raise DetectionError("operator called without a known entity_type") from None


def tokenizer_of(params: dict[str, Any] | None) -> Tokenizer:
    """Return the tokenizer an operator was given."""
    tokenizer = (params or {}).get("tokenizer")
    if not isinstance(tokenizer, Tokenizer):
        raise DetectionError("operator called without a tokenizer")
    return tokenizer


def action_of(params: dict[str, Any] | None) -> Action:
    """Return the policy action (with its parameters) an operator was given."""
    action = (params or {}).get("action")
    return action if isinstance(action, Action) else Action()
