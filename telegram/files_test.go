package telegram

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"tipline/telegram/telegramtest"
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")

func TestGetFileAndDownload(t *testing.T) {
	api := telegramtest.New(t)
	c := newClient(t, api)
	ctx := context.Background()
	api.AddFile("AgACAgEAAxkBAAFAKE_large", "photos/file_7.png", pngBytes)
	path, size, err := c.GetFile(ctx, "AgACAgEAAxkBAAFAKE_large")
	if err != nil || path != "photos/file_7.png" || size != int64(len(pngBytes)) {
		t.Fatalf("getFile = %q %d %v", path, size, err)
	}
	data, ctype, err := c.Download(ctx, "AgACAgEAAxkBAAFAKE_large", 1<<20)
	if err != nil || !bytes.Equal(data, pngBytes) || ctype != "image/png" {
		t.Fatalf("download = %d bytes %q %v", len(data), ctype, err)
	}
	files := api.CallsTo(telegramtest.MethodFile)
	if len(files) != 1 || files[0].Get("file_path") != "photos/file_7.png" {
		t.Fatalf("file calls = %+v", files)
	}
	if g := api.CallsTo("getFile"); g[0].Get("file_id") != "AgACAgEAAxkBAAFAKE_large" {
		t.Errorf("getFile params = %v", g[0].Params)
	}
}

func TestDownloadLimits(t *testing.T) {
	api := telegramtest.New(t)
	c := newClient(t, api)
	ctx := context.Background()
	api.AddFile("big", "documents/big.bin", bytes.Repeat([]byte("x"), 100))
	_, _, err := c.Download(ctx, "big", 99)
	if !errors.Is(err, ErrTooLarge) || !IsPermanent(err) {
		t.Fatalf("err = %v", err)
	}
	if n := len(api.CallsTo(telegramtest.MethodFile)); n != 0 {
		t.Fatalf("fetched a file whose stated size is over the limit (%d calls)", n)
	}
	if data, _, err := c.Download(ctx, "big", 100); err != nil || len(data) != 100 {
		t.Fatalf("exact limit: %d %v", len(data), err)
	}
	if _, _, err := c.Download(ctx, "nope", 100); !IsPermanent(err) {
		t.Fatalf("unknown file: %v", err)
	}
	api.FailNext(1, telegramtest.ServerError().On(telegramtest.MethodFile))
	if _, _, err := c.Download(ctx, "big", 100); err == nil || IsPermanent(err) {
		t.Fatalf("file 500: %v", err)
	}
}
