-- A mock shared by many pipelines keeps many events: list one type without reading them all.
CREATE INDEX events_by_type ON events (event_type);
