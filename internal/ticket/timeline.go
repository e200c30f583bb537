package ticket

import (
	"context"
	"fmt"
	"strings"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/db"
)

// Loader shows tickets on contacts' timelines: the title, the status, and
// the priority, assignee and number of comments as detail, linking to the
// ticket's page. App registers it for activity.KindTicket.
func (s *Service) Loader(ctx context.Context, ids []int64) (map[int64]activity.Summary, error) {
	out := make(map[int64]activity.Summary, len(ids))
	err := db.InChunks(ids, func(in string, args []any) error {
		rows, err := s.DB.QueryContext(ctx, `SELECT t.id, t.title, t.status, t.priority, COALESCE(u.name, ''), t.comment_count
			FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var title, status, priority, assignee string
			var comments int
			if err := rows.Scan(&id, &title, &status, &priority, &assignee, &comments); err != nil {
				return err
			}
			detail := []string{PriorityLabel(priority) + " priority"}
			if assignee != "" {
				detail = append(detail, "assigned to "+assignee)
			} else {
				detail = append(detail, "unassigned")
			}
			switch comments {
			case 0:
				detail = append(detail, "no comments")
			case 1:
				detail = append(detail, "1 comment")
			default:
				detail = append(detail, fmt.Sprintf("%d comments", comments))
			}
			out[id] = activity.Summary{Title: fmt.Sprintf("Ticket #%d: %s", id, title), Detail: strings.Join(detail, " · "),
				Status: strings.ToLower(StatusLabel(status)), URL: URL(id)}
		}
		return rows.Err()
	})
	return out, err
}
