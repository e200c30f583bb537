package importer

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// Propose maps each header to a field key ("" = ignore): a column whose
// name is a field's key or label wins, then the synonyms in their order;
// each field takes one column, the best-named one.
func Propose(header []string) []string {
	out := make([]string, len(header))
	bestRank := map[string]int{}
	bestCol := map[string]int{}
	for i, h := range header {
		k := headerKey(h)
		if k == "" {
			continue
		}
		field, rank := "", 1<<30
		for _, f := range Fields {
			if r, ok := matchRank(&f, k); ok && r < rank {
				field, rank = f.Key, r
			}
		}
		if field == "" {
			continue
		}
		if prev, ok := bestRank[field]; ok && prev <= rank {
			continue
		}
		if prev, ok := bestCol[field]; ok {
			out[prev] = ""
		}
		out[i], bestRank[field], bestCol[field] = field, rank, i
	}
	return out
}

func matchRank(f *Field, k string) (int, bool) {
	if k == headerKey(f.Key) || k == headerKey(f.Label) {
		return 0, true
	}
	for i, s := range f.Synonyms {
		if k == headerKey(s) {
			return i + 1, true
		}
	}
	return 0, false
}

// checkMapping validates a mapping for a header.
func checkMapping(header, mapping []string) error {
	if len(mapping) != len(header) {
		return errs.E(errs.Invalid, "The mapping has %d columns but the file has %d.", len(mapping), len(header))
	}
	seen := map[string]int{}
	any := false
	for i, m := range mapping {
		if m == "" {
			continue
		}
		f := FieldByKey(m)
		if f == nil {
			return errs.E(errs.Invalid, "Column %q is mapped to %q, which is not a Folio field.", header[i], m)
		}
		if j, ok := seen[m]; ok {
			return errs.E(errs.Invalid, "Columns %q and %q are both mapped to %s; map one of them to another field or ignore it.",
				header[j], header[i], f.Label)
		}
		seen[m] = i
		any = true
	}
	if !any {
		return errs.E(errs.Invalid, "No column is mapped to a Folio field: map at least a name or an email column.")
	}
	return nil
}

// signature identifies a set of headers, for remembered mappings.
func signature(header []string) string {
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = headerKey(h)
	}
	sum := sha256.Sum256([]byte(strings.Join(keys, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// remembered returns the mapping and key last used for files with these
// headers.
func remembered(ctx context.Context, q db.Queryer, header []string) ([]string, contact.MatchKey, bool, error) {
	var m, key string
	err := q.QueryRowContext(ctx, "SELECT mapping, match_key FROM import_mappings WHERE header_key = ?", signature(header)).Scan(&m, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, err
	}
	var mapping []string
	if json.Unmarshal([]byte(m), &mapping) != nil || len(mapping) != len(header) {
		return nil, "", false, nil
	}
	return mapping, contact.MatchKey(key), true, nil
}

func remember(ctx context.Context, tx *db.Tx, header, mapping []string, key contact.MatchKey) error {
	m, _ := json.Marshal(mapping)
	_, err := tx.ExecContext(ctx, `INSERT INTO import_mappings (header_key, mapping, match_key, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (header_key) DO UPDATE SET mapping = excluded.mapping, match_key = excluded.match_key, updated_at = excluded.updated_at`,
		signature(header), string(m), string(key), db.Now())
	return err
}
