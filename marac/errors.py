"""Errors the domain raises for rule violations. The API renders them as 400 with the
messages keyed by field, so a rule is stated once, here in the domain."""


class DomainError(Exception):
    def __init__(self, messages: dict[str, list[str]] | str):
        if isinstance(messages, str):
            messages = {"non_field_errors": [messages]}
        self.messages = messages
        super().__init__(messages)
