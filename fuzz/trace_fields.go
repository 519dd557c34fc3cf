package fuzz

import (
	"fmt"

	"github.com/wskverify/wskverify/model"
	"github.com/wskverify/wskverify/wsk"
)

// nullLength24 is the Length that stands for a NULL UNICODE_STRING.
const nullLength24 = 0xFFFFFF

// callField is one field of model.Call in the trace codec. A call's mask
// has bit i set when callFields[i] follows; a boolean field is true by its
// bit alone.
type callField uint8

const (
	fieldSocket callField = iota
	fieldIRP
	fieldTarget
	fieldNullClient
	fieldVersion
	fieldFamily
	fieldType
	fieldProtocol
	fieldFlags
	fieldContext
	fieldDispatch
	fieldProcess
	fieldSD
	fieldLocal
	fieldRemote
	fieldData
	fieldLength
	fieldBuf
	fieldRequest
	fieldCode
	fieldLevel
	fieldValue
	fieldOutLen
	fieldAcceptContext
	fieldAcceptDispatch
	fieldWantAddresses
	fieldNode
	fieldService
	fieldHints
	fieldCount
)

var callFields = func() []callField {
	out := make([]callField, fieldCount)
	for i := range out {
		out[i] = callField(i)
	}
	return out
}()

// read decodes the field into c (addresses are read by the caller, which
// also gets their symbolic form).
func (f callField) read(r *reader, c *model.Call) {
	switch f {
	case fieldSocket:
		c.Socket = int(r.byte())
	case fieldIRP:
		c.IRP = int(r.byte())
	case fieldTarget:
		c.Target = int(r.byte())
	case fieldNullClient:
		c.NullClient = true
	case fieldVersion:
		c.Version = r.u16()
	case fieldFamily:
		c.Family = r.u16()
	case fieldType:
		c.Type = r.u16()
	case fieldProtocol:
		c.Protocol = r.u32()
	case fieldFlags:
		c.Flags = r.u32()
	case fieldContext:
		c.Context = true
	case fieldDispatch:
		c.Dispatch = r.dispatch()
	case fieldProcess:
		c.Process = true
	case fieldSD:
		c.SD = int64(int8(r.byte()))
	case fieldData:
		c.Data = r.data()
	case fieldLength:
		if v := int(r.u24()); v == nullLength24 {
			c.Length = wsk.NameBufferNULL // a NULL UNICODE_STRING (WskGetNameInfo)
		} else {
			c.Length = v % (maxTraceData + 1)
		}
	case fieldBuf:
		c.Buf = model.BufFault(r.below(5))
	case fieldRequest:
		c.Request = r.u32()
	case fieldCode:
		c.Code = r.u32()
	case fieldLevel:
		c.Level = r.u32()
	case fieldValue:
		c.Value = r.u32()
	case fieldOutLen:
		if c.OutLen = int(r.u16()); c.OutLen == 0xFFFF {
			c.OutLen = wsk.NameBufferNULL // a NULL UNICODE_STRING (WskGetNameInfo)
		}
	case fieldAcceptContext:
		c.AcceptContext = true
	case fieldAcceptDispatch:
		c.AcceptDispatch = r.dispatch()
	case fieldWantAddresses:
		c.WantAddresses = true
	case fieldNode:
		c.Node = r.bytes()
	case fieldService:
		c.Service = r.bytes()
	case fieldHints:
		c.Hints = true
	}
}

func (r *reader) dispatch() model.Dispatch {
	return model.Dispatch{Kind: model.DispatchKind(r.below(6)), Entries: r.u32()}
}

// present reports whether the call sets the field (to a non-zero value).
func (f callField) present(c model.Call) bool {
	switch f {
	case fieldSocket:
		return c.Socket != 0
	case fieldIRP:
		return c.IRP != 0
	case fieldTarget:
		return c.Target != 0
	case fieldNullClient:
		return c.NullClient
	case fieldVersion:
		return c.Version != 0
	case fieldFamily:
		return c.Family != 0
	case fieldType:
		return c.Type != 0
	case fieldProtocol:
		return c.Protocol != 0
	case fieldFlags:
		return c.Flags != 0
	case fieldContext:
		return c.Context
	case fieldDispatch:
		return c.Dispatch != model.Dispatch{}
	case fieldProcess:
		return c.Process
	case fieldSD:
		return c.SD != 0
	case fieldLocal:
		return c.Local != nil
	case fieldRemote:
		return c.Remote != nil
	case fieldData:
		return c.Data != nil
	case fieldLength:
		return c.Length != 0
	case fieldBuf:
		return c.Buf != model.BufOK
	case fieldRequest:
		return c.Request != 0
	case fieldCode:
		return c.Code != 0
	case fieldLevel:
		return c.Level != 0
	case fieldValue:
		return c.Value != 0
	case fieldOutLen:
		return c.OutLen != 0
	case fieldAcceptContext:
		return c.AcceptContext
	case fieldAcceptDispatch:
		return c.AcceptDispatch != model.Dispatch{}
	case fieldWantAddresses:
		return c.WantAddresses
	case fieldNode:
		return c.Node != nil
	case fieldService:
		return c.Service != nil
	case fieldHints:
		return c.Hints
	}
	return false
}

// write encodes a present field (addresses are written by the caller).
func (f callField) write(w *writer, c model.Call) error {
	small := func(name string, v int) error {
		if v < 0 || v > 0xFF {
			return fmt.Errorf("%s %d does not fit the trace codec (0..255)", name, v)
		}
		w.byte(byte(v))
		return nil
	}
	switch f {
	case fieldSocket:
		return small("socket", c.Socket)
	case fieldIRP:
		return small("IRP", c.IRP)
	case fieldTarget:
		return small("target IRP", c.Target)
	case fieldVersion:
		w.u16(c.Version)
	case fieldFamily:
		w.u16(c.Family)
	case fieldType:
		w.u16(c.Type)
	case fieldProtocol:
		w.u32(c.Protocol)
	case fieldFlags:
		w.u32(c.Flags)
	case fieldDispatch:
		return w.dispatch(c.Dispatch)
	case fieldSD:
		if c.SD < -128 || c.SD > 127 {
			return fmt.Errorf("sd %d does not fit the trace codec (-128..127)", c.SD)
		}
		w.byte(byte(int8(c.SD)))
	case fieldData:
		return w.data(c.Data)
	case fieldLength:
		switch {
		case c.Length == wsk.NameBufferNULL:
			w.u24(nullLength24)
		case c.Length < 0 || c.Length > maxTraceData:
			return fmt.Errorf("length %d does not fit the trace codec (0..%d)", c.Length, maxTraceData)
		default:
			w.u24(uint32(c.Length))
		}
	case fieldBuf:
		if c.Buf > model.BufNull {
			return fmt.Errorf("buffer fault %d unknown", c.Buf)
		}
		w.byte(byte(c.Buf))
	case fieldRequest:
		w.u32(c.Request)
	case fieldCode:
		w.u32(c.Code)
	case fieldLevel:
		w.u32(c.Level)
	case fieldValue:
		w.u32(c.Value)
	case fieldOutLen:
		switch {
		case c.OutLen == wsk.NameBufferNULL:
			w.u16(0xFFFF)
		case c.OutLen < 0 || c.OutLen >= 0xFFFF:
			return fmt.Errorf("output length %d does not fit the trace codec", c.OutLen)
		default:
			w.u16(uint16(c.OutLen))
		}
	case fieldAcceptDispatch:
		return w.dispatch(c.AcceptDispatch)
	case fieldNode, fieldService:
		b := c.Node
		if f == fieldService {
			b = c.Service
		}
		if len(b) >= nullLength {
			return fmt.Errorf("a name of %d bytes does not fit the trace codec", len(b))
		}
		w.bytes(b)
	}
	return nil
}

func (w *writer) dispatch(d model.Dispatch) error {
	if d.Kind > model.DispatchForeign {
		return fmt.Errorf("dispatch kind %d unknown", d.Kind)
	}
	w.byte(byte(d.Kind))
	w.u32(d.Entries)
	return nil
}
