package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxDownload bounds a download when the caller sets no limit: the Bot
// API serves files up to 20 MB.
const maxDownload = 20 << 20

// GetFile asks Telegram where a file is (getFile) and returns its file_path
// and size (0 when Telegram does not say).
func (c *Client) GetFile(ctx context.Context, fileID string) (path string, size int64, err error) {
	var f tgbotapi.File
	if err := c.request(ctx, "getFile", tgbotapi.FileConfig{FileID: fileID}, &f); err != nil {
		return "", 0, err
	}
	if f.FilePath == "" {
		return "", 0, &SendError{Method: "getFile", Permanent: true, Description: "no file_path in result",
			Err: errors.New("no file_path in result")}
	}
	return f.FilePath, int64(f.FileSize), nil
}

// FileURL is where a file_path is downloaded from:
// {APIURL}/file/bot{token}/{file_path}. The library's Link helper ignores
// a custom API URL, hence this. The URL contains the token: never log it.
func (c *Client) FileURL(filePath string) string {
	segs := strings.Split(strings.TrimLeft(filePath, "/"), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return c.base + "/file/bot" + c.token + "/" + strings.Join(segs, "/")
}

// Download fetches a file by file_id (getFile, then the file URL) and
// returns its bytes and content type. A file over maxBytes, by Telegram's
// stated size or by what arrives, fails with an error wrapping ErrTooLarge
// before or while reading. The content type is the server's unless that is
// missing or generic, then it is sniffed from the bytes. The caller still
// has to check what the bytes are.
func (c *Client) Download(ctx context.Context, fileID string, maxBytes int64) ([]byte, string, error) {
	path, size, err := c.GetFile(ctx, fileID)
	if err != nil {
		return nil, "", err
	}
	tooLarge := &SendError{Method: "download", Permanent: true, Description: "file too large", Err: ErrTooLarge}
	if maxBytes > 0 && size > maxBytes {
		return nil, "", tooLarge
	}
	var data []byte
	var ctype string
	fetch := func(cctx context.Context) error {
		var err error
		data, ctype, err = c.fetch(cctx, path, maxBytes)
		return err
	}
	if err := c.withDeadline(ctx, c.downloadTimeout, "download", fetch); err != nil {
		return nil, "", err
	}
	if maxBytes > 0 && int64(len(data)) > maxBytes {
		return nil, "", tooLarge
	}
	if mt, _, err := mime.ParseMediaType(ctype); err != nil || mt == "application/octet-stream" || ctype == "" {
		ctype = http.DetectContentType(data)
	}
	return data, ctype, nil
}

// withDeadline runs fn with a context bounded by d and classifies its error.
func (c *Client) withDeadline(ctx context.Context, d time.Duration, method string,
	fn func(context.Context) error) error {
	cctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return classify(ctx, method, c.token, 0, fn(cctx))
}

// fetch GETs a file path. It reads at most maxBytes+1 bytes so the caller
// can tell an oversize file. Its errors never contain the URL.
func (c *Client) fetch(ctx context.Context, path string, maxBytes int64) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.FileURL(path), nil)
	if err != nil {
		return nil, "", errors.New("building file request failed")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err // drop the URL, which holds the token
		}
		return nil, "", fmt.Errorf("fetching file: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", &SendError{Method: "download", Code: resp.StatusCode,
			Permanent:   permanentCode(resp.StatusCode) || resp.StatusCode == http.StatusNotFound,
			Description: httpStatusText(resp.StatusCode), Err: errors.New(httpStatusText(resp.StatusCode))}
	}
	limit := int64(maxDownload)
	if maxBytes > 0 {
		limit = maxBytes + 1
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return nil, "", fmt.Errorf("reading file: %w", err)
	}
	return data, resp.Header.Get("Content-Type"), nil
}
