package db

import "strings"

// IDsPerQuery is how many ids one IN list binds, well below the databases'
// limits on parameters.
const IDsPerQuery = 500

// InChunks calls fn for each run of at most IDsPerQuery ids with the
// placeholders of their IN list and the ids as arguments.
func InChunks(ids []int64, fn func(in string, args []any) error) error {
	for start := 0; start < len(ids); start += IDsPerQuery {
		chunk := ids[start:min(start+IDsPerQuery, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := fn(Placeholders("?", len(chunk)), args); err != nil {
			return err
		}
	}
	return nil
}

// Placeholders is n copies of group ("?" or "(?, ?)") separated by commas.
func Placeholders(group string, n int) string {
	return strings.TrimSuffix(strings.Repeat(group+", ", n), ", ")
}

// NullID is id as a nullable reference: NULL for 0.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// UniqueIDs is ids without repeats and without 0 or negative ids (which
// name nothing), in their first order.
func UniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
