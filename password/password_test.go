package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "correct") || !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("unexpected hash form %q", h)
	}
	if ok, err := Verify(h, "correct horse battery"); !ok || err != nil {
		t.Fatalf("right password refused: %v %v", ok, err)
	}
	if ok, _ := Verify(h, "correct horse batterx"); ok {
		t.Fatal("wrong password accepted")
	}
	if _, err := Verify("$bcrypt$x", "a"); err != ErrMalformed {
		t.Fatalf("malformed hash: got %v", err)
	}
}

func TestGenerate(t *testing.T) {
	a, b := Generate(), Generate()
	if a == b || len(a) < MinLength {
		t.Fatalf("weak generated passwords %q %q", a, b)
	}
}
