"""Standby: Monte Carlo incident simulation of a multi-agency COMAH response."""
