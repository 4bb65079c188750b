-- Surveys, their versions and share channels; anonymous responses; codes
-- for coming back later; and the secrets that sign the survey pages' state.
-- Dates without a time are TEXT YYYY-MM-DD in both engines.

-- +goose Up
CREATE TABLE surveys (
    id              INTEGER PRIMARY KEY,
    slug            TEXT    NOT NULL UNIQUE,
    phase           TEXT    NOT NULL CHECK (phase IN ('draft', 'pilot', 'live', 'closed', 'archived')),
    opens_on        TEXT,
    closes_on       TEXT,
    current_version INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE survey_versions (
    survey_id  INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    definition TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (survey_id, version)
);

CREATE TABLE channels (
    id         INTEGER PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('hub', 'newsletter', 'partner', 'social', 'event', 'other')),
    created_at INTEGER NOT NULL,
    UNIQUE (survey_id, code)
);

-- A response holds what invariant P1 allows and nothing else: no address,
-- browser, referrer, cookie, account or time of day. Its id is random, so
-- it says nothing about the order of responses either.
CREATE TABLE responses (
    id           TEXT    PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    phase        TEXT    NOT NULL CHECK (phase IN ('pilot', 'live')),
    channel      TEXT    NOT NULL,
    language     TEXT    NOT NULL,
    submitted_on TEXT    NOT NULL,
    answers      TEXT    NOT NULL
);
CREATE INDEX responses_survey ON responses (survey_id, phase, channel);

-- One-time submission keys already used, so a repeated submit stores one
-- response. Nothing links a key to its response.
CREATE TABLE submission_keys (
    key_hash   TEXT PRIMARY KEY,
    expires_on TEXT NOT NULL
);

-- Answers saved to come back to later, under the hash of a random code.
CREATE TABLE drafts (
    code_hash  TEXT    PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    language   TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    page       INTEGER NOT NULL,
    answers    TEXT    NOT NULL,
    expires_on TEXT    NOT NULL
);

CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE secrets;
DROP TABLE drafts;
DROP TABLE submission_keys;
DROP TABLE responses;
DROP TABLE channels;
DROP TABLE survey_versions;
DROP TABLE surveys;
