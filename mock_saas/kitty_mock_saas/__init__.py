"""A stateful mock of the Spec Kitty SaaS control plane, built on the contract's generated models."""
