"""The Kafka worker: consume raw logs, redact them, commit every route at once."""
