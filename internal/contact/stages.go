package contact

import (
	"context"
	"fmt"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
)

// recordStageChange puts a change of a contact's stage on its timeline:
// a stage_changes row and its timeline row, in the transaction of the
// change, by staff user actor (0 for Folio itself); the channel is the
// one of the actor in ctx.
func recordStageChange(ctx context.Context, tx *db.Tx, contactID int64, from, to string, actorID int64, at time.Time) error {
	if from == to {
		return nil
	}
	a := audit.ActorFrom(ctx)
	actor := db.NullID(actorID)
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO stage_changes (contact_id, from_stage, to_stage, actor_id, channel, at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, contactID, from, to, actor, string(a.Channel), at).Scan(&id); err != nil {
		return fmt.Errorf("contact: record stage change: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO timeline (contact_id, at, kind, ref_id, actor_id) VALUES (?, ?, 'stage', ?, ?)",
		contactID, at, id, actor); err != nil {
		return fmt.Errorf("contact: record stage change: %w", err)
	}
	return nil
}

// StageChange is one change of a contact's onboarding stage.
type StageChange struct {
	ID        int64
	ContactID int64
	From, To  string // stage keys
	Channel   string
	At        time.Time
}

// StageChanges reads stage changes by id (for the timeline).
func (s *Service) StageChanges(ctx context.Context, ids []int64) (map[int64]StageChange, error) {
	out := make(map[int64]StageChange, len(ids))
	err := db.InChunks(ids, func(in string, args []any) error {
		rows, err := s.DB.QueryContext(ctx, "SELECT id, contact_id, from_stage, to_stage, channel, at FROM stage_changes WHERE id IN ("+in+")", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c StageChange
			if err := rows.Scan(&c.ID, &c.ContactID, &c.From, &c.To, &c.Channel, &c.At); err != nil {
				return err
			}
			c.At = c.At.UTC()
			out[c.ID] = c
		}
		return rows.Err()
	})
	return out, err
}
