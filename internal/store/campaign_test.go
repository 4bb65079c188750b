package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/healthtech-toolkit/toolkit/internal/campaign"
	"github.com/healthtech-toolkit/toolkit/internal/store"
	"github.com/healthtech-toolkit/toolkit/internal/store/storetest"
)

var ours = campaign.Campaign{
	Name:         "Open doors",
	Summary:      "What holds people back.\n\nAnd what helps.",
	Organisation: "The hub in Leeds",
	ContactEmail: "data@example.org",
}

// mustCampaign checks that the stored campaign is want.
func mustCampaign(t *testing.T, db *store.DB, call string, want campaign.Campaign) {
	t.Helper()
	got, err := db.Campaign(t.Context())
	if err != nil {
		t.Fatalf("%s = %v", call, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", call, diff)
	}
}

func TestCampaign(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		c := useClock(db)
		if got, err := db.Campaign(ctx); !errors.Is(err, store.ErrNoCampaign) {
			t.Errorf("Campaign() on a new database = %+v, %v; want %v", got, err, store.ErrNoCampaign)
		}
		if err := db.SaveCampaign(ctx, admin, ours); err != nil {
			t.Fatalf("SaveCampaign() = %v", err)
		}
		mustCampaign(t, db, "Campaign() after SaveCampaign", ours)
		// Every field changes, so that one the update leaves out shows.
		changed := campaign.Campaign{Name: "Open doors, year two", Summary: "What held people back.",
			Organisation: "The hubs in Leeds and York"}
		c.Set(time.Hour)
		if err := db.SaveCampaign(ctx, admin, changed); err != nil {
			t.Fatalf("SaveCampaign() a second time = %v", err)
		}
		mustCampaign(t, db, "Campaign() after a second SaveCampaign", changed)
		if n := count(t, db, `SELECT COUNT(*) FROM campaign`); n != 1 {
			t.Errorf("%d campaign rows, want 1", n)
		}
		if at := count(t, db, `SELECT updated_at FROM campaign`); at != start.Add(time.Hour).Unix() {
			t.Errorf("after a second SaveCampaign the campaign was updated at %v, want %v", time.Unix(at, 0).UTC(), start.Add(time.Hour))
		}
	})
}

func TestLoadDemo(t *testing.T) {
	t.Parallel()
	t.Run("empty database", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			ctx := t.Context()
			for i, want := range []bool{true, false} {
				if got, err := db.LoadDemo(ctx); err != nil || got != want {
					t.Errorf("LoadDemo() call %d = %v, %v; want %v, nil", i+1, got, err, want)
				}
			}
			mustCampaign(t, db, "Campaign() after LoadDemo", campaign.Demo)
		})
	})
	t.Run("saved campaign kept", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			ctx := t.Context()
			if err := db.SaveCampaign(ctx, admin, ours); err != nil {
				t.Fatal(err)
			}
			if got, err := db.LoadDemo(ctx); err != nil || got {
				t.Errorf("LoadDemo() with a saved campaign = %v, %v; want false, nil", got, err)
			}
			mustCampaign(t, db, "Campaign() after SaveCampaign then LoadDemo", ours)
		})
	})
}
