-- The space saved answers take, so that saving can refuse a draft once
-- drafts take the space allowed them. Each draft keeps its size, and
-- draft_space their total, changed with every draft saved or deleted so
-- that a save need not count them all. Drafts saved before have their
-- size in characters, near enough. Drafts are found by the day they
-- expire, to delete them when they do.

-- +goose Up
ALTER TABLE drafts ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
UPDATE drafts SET size = LENGTH(answers);
CREATE INDEX drafts_expires_on ON drafts (expires_on);

CREATE TABLE draft_space (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    used BIGINT  NOT NULL
);
INSERT INTO draft_space (id, used) SELECT 1, COALESCE(SUM(size), 0) FROM drafts;

-- +goose Down
DROP TABLE draft_space;
DROP INDEX drafts_expires_on;
ALTER TABLE drafts DROP COLUMN size;
