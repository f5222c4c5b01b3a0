"""Cut the providers' published API descriptions down to what the tracker fakes serve.

`python -m tools.provider_contracts extract` writes the subsets (with their provenance) into
`mock_saas/kitty_mock_saas/provider_contracts/<provider>/`; `check` re-extracts them from the
full files in `../shared/provider-apis/` and fails when the committed ones differ.
"""
