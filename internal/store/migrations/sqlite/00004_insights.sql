-- What the evidence pages publish and what they are made from: reports as
-- published, the codebook that open-text answers are tagged with, and
-- quotes from those answers, published only once a moderator approves them
-- (invariant P5). Tags and quotes go with their response when it is
-- purged (invariant P6), and everything here goes with its survey.
-- Dates without a time are TEXT YYYY-MM-DD in both engines. Ids are never
-- used twice (AUTOINCREMENT here, as identity columns are in PostgreSQL):
-- a link to a withdrawn report or a deleted quote must not come to show
-- another.

-- +goose Up
-- A report as it was published: the request that made it and the result,
-- both JSON, so that it reads the same whatever responses come later.
CREATE TABLE snapshots (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id    INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    title        TEXT    NOT NULL,
    summary      TEXT    NOT NULL,
    request      TEXT    NOT NULL,
    report       TEXT    NOT NULL,
    published_by TEXT    NOT NULL,
    published_on TEXT    NOT NULL,
    withdrawn_on TEXT
);
CREATE INDEX snapshots_survey ON snapshots (survey_id);

-- The codes of one open-text question of a survey.
CREATE TABLE codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id   INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    question    TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    UNIQUE (survey_id, question, name)
);

-- Which answers carry which codes.
CREATE TABLE answer_codes (
    code_id     INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE,
    response_id TEXT    NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    PRIMARY KEY (code_id, response_id)
);
CREATE INDEX answer_codes_response ON answer_codes (response_id);

-- Excerpts of open-text answers put forward for publication, and what a
-- moderator decided.
CREATE TABLE quotes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id   INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    response_id TEXT    NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question    TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('proposed', 'approved', 'rejected')),
    proposed_by TEXT    NOT NULL,
    proposed_on TEXT    NOT NULL,
    decided_by  TEXT,
    decided_on  TEXT,
    CHECK ((state = 'proposed') = (decided_on IS NULL)),
    UNIQUE (response_id, question, text)
);
CREATE INDEX quotes_survey ON quotes (survey_id, state);

-- +goose Down
DROP TABLE quotes;
DROP TABLE answer_codes;
DROP TABLE codes;
DROP TABLE snapshots;
