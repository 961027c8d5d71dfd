package sqlite

import (
	"database/sql"
	"encoding/binary"

	"github.com/mattn/go-sqlite3"
)

// driverName is mattn/go-sqlite3 with Docket's ranking function.
const driverName = "docket_sqlite3"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		return c.RegisterFunc("docket_rank", rank, true)
	}})
}

// Typical field lengths, in words, that length normalisation measures a
// field against: title, tags, text.
var typicalLength = []float64{8, 3, 500}

// rank scores one FTS4 row from matchinfo(table, 'pcly'): for each term
// and column, the BM25 saturation of its frequency (k1 = 1.2, b = 0.75)
// against the field's length, times the column's weight (title, tags,
// text). It uses nothing but the row itself and the query: no inverse
// document frequency and no average length over the table, which would
// count documents the reader may not see and let a score tell whether a
// hidden document holds a word. For an AND query every hit holds every
// term, so what idf would add is only the terms' relative weight.
func rank(info []byte, weights ...float64) float64 {
	const k1, b = 1.2, 0.75
	n := len(info) / 4
	u := func(i int) float64 {
		if i >= n {
			return 0
		}
		return float64(binary.NativeEndian.Uint32(info[4*i:]))
	}
	if n < 2 {
		return 0
	}
	phrases, cols := int(u(0)), int(u(1))
	length := func(c int) float64 { return u(2 + c) }
	y := 2 + cols // per term and column: its hits in this row
	score := 0.0
	for p := range phrases {
		for c := range cols {
			tf := u(y + p*cols + c)
			if tf == 0 {
				continue
			}
			w, typical := 1.0, 100.0
			if c < len(weights) {
				w = weights[c]
			}
			if c < len(typicalLength) {
				typical = typicalLength[c]
			}
			score += w * tf * (k1 + 1) / (tf + k1*(1-b+b*length(c)/typical))
		}
	}
	return score
}
