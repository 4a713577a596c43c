"""Support code shared by tests and benchmarks: a real Kafka broker and its helpers."""
