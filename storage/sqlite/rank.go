package sqlite

import (
	"database/sql"
	"encoding/binary"
	"math"

	"github.com/mattn/go-sqlite3"
)

// driverName is mattn/go-sqlite3 with Docket's ranking function.
const driverName = "docket_sqlite3"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		return c.RegisterFunc("docket_rank", rank, true)
	}})
}

// rank scores one FTS4 row by Okapi BM25 (k1 = 1.2, b = 0.75) from
// matchinfo(table, 'pcnalx'), each column's share multiplied by its
// weight (title, tags, body). FTS4 has no ranking of its own; this is the
// function its documentation sketches, in Go.
func rank(info []byte, weights ...float64) float64 {
	const k1, b = 1.2, 0.75
	n := len(info) / 4
	u := func(i int) float64 {
		if i >= n {
			return 0
		}
		return float64(binary.NativeEndian.Uint32(info[4*i:]))
	}
	if n < 3 {
		return 0
	}
	phrases, cols, rows := int(u(0)), int(u(1)), u(2)
	avg := func(c int) float64 { return u(3 + c) }
	length := func(c int) float64 { return u(3 + cols + c) }
	x := 3 + 2*cols // hits this row, hits all rows, rows with a hit
	score := 0.0
	for p := range phrases {
		for c := range cols {
			base := x + 3*(p*cols+c)
			tf, docs := u(base), u(base+2)
			if tf == 0 {
				continue
			}
			idf := math.Log((rows - docs + 0.5) / (docs + 0.5))
			if idf < 1e-6 {
				idf = 1e-6
			}
			w := 1.0
			if c < len(weights) {
				w = weights[c]
			}
			a := avg(c)
			if a == 0 {
				a = 1
			}
			score += w * idf * tf * (k1 + 1) / (tf + k1*(1-b+b*length(c)/a))
		}
	}
	return score
}
