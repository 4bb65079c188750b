package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/healthtech-toolkit/toolkit/internal/campaign"
)

// ErrNoCampaign means nobody has described the campaign yet.
var ErrNoCampaign = errors.New("the campaign has not been described yet")

// Campaign returns the campaign's description.
func (db *DB) Campaign(ctx context.Context) (campaign.Campaign, error) {
	var c campaign.Campaign
	err := db.queryRow(ctx, `SELECT name, summary, organisation, contact_email FROM campaign WHERE id = 1`).
		Scan(&c.Name, &c.Summary, &c.Organisation, &c.ContactEmail)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNoCampaign
	} else if err != nil {
		return c, fmt.Errorf("campaign: %w", err)
	}
	return c, nil
}

const upsertCampaign = `INSERT INTO campaign (id, name, summary, organisation, contact_email, updated_at)
	VALUES (1, ?, ?, ?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET name = excluded.name, summary = excluded.summary,
		organisation = excluded.organisation, contact_email = excluded.contact_email,
		updated_at = excluded.updated_at`

// SaveCampaign stores the campaign's description.
func (db *DB) SaveCampaign(ctx context.Context, by Actor, c campaign.Campaign) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, upsertCampaign, c.Name, c.Summary, c.Organisation, c.ContactEmail, unix(db.now())); err != nil {
			return err
		}
		return tx.audit(ctx, by, "campaign described", c.Name, "")
	})
	if err != nil {
		return fmt.Errorf("save campaign: %w", err)
	}
	return nil
}

// LoadDemo fills an empty database with the demonstration content, and
// reports whether it did. A database that already has a campaign is left
// alone, so this is safe to call at every start.
func (db *DB) LoadDemo(ctx context.Context) (bool, error) {
	loaded := false
	err := db.inTx(ctx, func(tx *Tx) error {
		d := campaign.Demo
		res, err := tx.exec(ctx, `INSERT INTO campaign (id, name, summary, organisation, contact_email, updated_at)
			VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			d.Name, d.Summary, d.Organisation, d.ContactEmail, unix(db.now()))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		loaded = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("load demo content: %w", err)
	}
	return loaded, nil
}
