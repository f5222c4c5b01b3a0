"""Spec Kitty ticket-first origin binding: the hand-written client layer over the SaaS contract."""
