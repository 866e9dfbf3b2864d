package main

import (
	"bytes"
	"context"
	"testing"
)

// An --outlet name the answer itself had exists: noteOutlets asks the
// archive nothing (its count by outlet walks every docs entry, 150 ms at
// 500,000 articles). A nil reader fails the test if it is used.
func TestNoteOutletsTrustsTheAnswer(t *testing.T) {
	var stderr bytes.Buffer
	e := &env{stdout: &bytes.Buffer{}, stderr: &stderr}
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("noteOutlets used the archive: %v", r)
		}
	}()
	for _, tc := range []struct {
		names []string
		found map[string]bool
	}{
		{[]string{"meduza"}, map[string]bool{"meduza": true}},
		{[]string{"meduza", "yonhap"}, map[string]bool{"meduza": true, "yonhap": true, "tass": true}},
		{nil, nil},
	} {
		if err := noteOutlets(context.Background(), e, nil, tc.names, tc.found); err != nil {
			t.Fatal(err)
		}
	}
	if stderr.Len() > 0 {
		t.Errorf("notes for outlets the answer had: %s", stderr.String())
	}
}
