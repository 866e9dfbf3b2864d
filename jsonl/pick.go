package jsonl

import (
	"reflect"
	"strings"
	"sync"
)

// rowField is where a named field sits in a Row, and whether the row
// leaves it out when it is empty (omitempty).
type rowField struct {
	index     int
	omitEmpty bool
}

// rowFields maps each JSON name of a Row to its field, read from the
// struct tags once, on first use.
var rowFields = sync.OnceValue(func() map[string]rowField {
	typ := reflect.TypeFor[Row]()
	out := make(map[string]rowField, typ.NumField())
	for i := 0; i < typ.NumField(); i++ {
		name, opts, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		out[name] = rowField{index: i, omitEmpty: strings.Contains(opts, "omitempty")}
	}
	return out
})

// Value is the named field of the row as the whole row's JSON holds it:
// nil (null) for a field the row leaves out when empty, or for a name
// that is not a field. It lets a caller write some columns of a row
// without encoding the whole row and decoding it again.
func (r *Row) Value(name string) any {
	f, ok := rowFields()[name]
	if !ok {
		return nil
	}
	v := reflect.ValueOf(r).Elem().Field(f.index)
	if f.omitEmpty && isEmpty(v) {
		return nil
	}
	return v.Interface()
}

// isEmpty is encoding/json's test for omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	}
	return v.IsZero()
}
