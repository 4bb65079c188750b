-- Responses by the day they were sent, which reports count to catch up
-- with responses other instances stored.

-- +goose Up
CREATE INDEX responses_survey_day ON responses (survey_id, submitted_on);

-- +goose Down
DROP INDEX responses_survey_day;
