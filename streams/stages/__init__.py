"""Pure stages: functions from a value to a value, no Kafka, no clock, no environment."""

from streams.compiled import install

# Before any stage loads: the hot stages run as their mypyc build when one matches these sources.
install(__path__[0])
