"""Buttons for coordinators' outputs and the public survey."""
