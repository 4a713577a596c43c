"""Operators: what is done to one span, on presidio-anonymizer's operator model.

Each operator is one presidio ``Operator`` subclass in its own module; the
engine calls ``operate`` directly, and :func:`presidio_engine` registers the
same classes with presidio's ``AnonymizerEngine`` for callers that use it.
"""
