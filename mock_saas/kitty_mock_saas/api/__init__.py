"""HTTP layer of the mock: thin routes over the state and the tracker connectors."""
