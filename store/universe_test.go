package store

import "testing"

func TestCheckID(t *testing.T) {
	for _, tc := range []struct {
		name, id string
		ok       bool
	}{
		{"plain", "unitree", true},
		{"hyphens and digits", "agibot-2", true},
		{"empty", "", false},
		{"upper case", "Unitree", false},
		{"space", "uni tree", false},
		{"leading hyphen", "-unitree", false},
		{"double hyphen", "uni--tree", false},
		{"trailing hyphen", "unitree-", false},
		{"chinese", "宇树", false},
		{"underscore", "uni_tree", false},
		{"too long", "a123456789a123456789a123456789a123456789a123456789a123456789abcde", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckID(tc.id); (err == nil) != tc.ok {
				t.Errorf("CheckID(%q) = %v, want ok %v", tc.id, err, tc.ok)
			}
		})
	}
}
