package harness

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wskverify/wskverify/model"
)

// ParseStep reads one line of the script text format (see Step.String).
func ParseStep(line string) (Step, error) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return Step{}, fmt.Errorf("empty step")
	}
	var s Step
	if n := len(fields); fields[n-1] == "nowait" {
		s.NoWait = true
		fields = fields[:n-1]
	}
	head, args := fields[0], fields[1:]
	if op, ok := model.ParseOp(head); ok {
		p := &callParser{Step: s}
		p.Kind = StepCall
		p.Call.Op = op
		for _, arg := range args {
			if err := p.setArg(arg); err != nil {
				return Step{}, fmt.Errorf("%s: %w", head, err)
			}
		}
		// A WSK_BUF's Length is its data's unless the line says otherwise.
		if !p.lengthSet {
			p.Call.Length = len(p.Call.Data)
		}
		return p.Step, nil
	}
	for k, w := range peerWords {
		if w != "" && w == head {
			s.Kind = StepKind(k)
		}
	}
	if s.Kind == 0 {
		return Step{}, fmt.Errorf("%q is neither a WSK call (WskSocket, WskConnectEx, ...) nor a peer action (peer-connect, peer-send, ...)", head)
	}
	for _, arg := range args {
		if err := s.setPeerArg(arg); err != nil {
			return Step{}, fmt.Errorf("%s: %w", head, err)
		}
	}
	return s, nil
}

func (s *Step) setPeerArg(arg string) error {
	k, v, ok := strings.Cut(arg, "=")
	if !ok {
		return fmt.Errorf("argument %q: want key=value", arg)
	}
	var err error
	switch k {
	case "socket":
		s.Socket, err = strconv.Atoi(v)
	case "peer":
		s.Peer, err = strconv.Atoi(v)
	case "data":
		s.Data, err = parseData(v)
	case "action":
		var n uint64
		n, err = actionNames.parse(v)
		s.Action = uint32(n)
	case "remote":
		var symbolic bool
		s.Remote, symbolic, err = parseRef(v)
		if err == nil && !symbolic {
			err = fmt.Errorf("want a peer address such as @listener2")
		}
	default:
		return fmt.Errorf("unknown argument %q (peer actions take socket, peer and data; peer-drain and peer-fill remote; inspect-answer takes action)", k)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", k, err)
	}
	return nil
}

// callParser reads the arguments of a call step.
type callParser struct {
	Step
	lengthSet bool
}

// setArg reads one argument of a call into the step.
func (s *callParser) setArg(arg string) error {
	c := &s.Call
	switch arg {
	case "context":
		c.Context = true
		return nil
	case "process":
		c.Process = true
		return nil
	case "accept-context":
		c.AcceptContext = true
		return nil
	case "addresses":
		c.WantAddresses = true
		return nil
	case "hints":
		c.Hints = true
		return nil
	}
	k, v, ok := strings.Cut(arg, "=")
	if !ok {
		return fmt.Errorf("argument %q: want key=value or one of context, process, accept-context, addresses, hints", arg)
	}
	err := s.setValue(k, v)
	if err != nil {
		return fmt.Errorf("%s: %w", k, err)
	}
	return nil
}

func (s *callParser) setValue(k, v string) error {
	c := &s.Call
	var err error
	var n uint64
	switch k {
	case "socket":
		c.Socket, err = strconv.Atoi(v)
	case "target":
		c.Target, err = strconv.Atoi(v)
	case "irp":
		if v != "NULL" {
			c.IRP, err = strconv.Atoi(v)
		}
	case "client":
		if v != "NULL" {
			return fmt.Errorf("only client=NULL can be written")
		}
		c.NullClient = true
	case "version":
		n, err = strconv.ParseUint(v, 0, 16)
		c.Version = uint16(n)
	case "family":
		n, err = familyNames.parse(v)
		c.Family = uint16(n)
	case "type":
		n, err = typeNames.parse(v)
		c.Type = uint16(n)
	case "protocol":
		n, err = strconv.ParseUint(v, 0, 32)
		c.Protocol = uint32(n)
	case "flags":
		n, err = categoryNames.parse(v)
		c.Flags = uint32(n)
	case "dispatch":
		c.Dispatch, err = parseDispatch(v)
	case "accept-dispatch":
		c.AcceptDispatch, err = parseDispatch(v)
	case "sd":
		c.SD, err = strconv.ParseInt(v, 10, 64)
	case "local":
		s.Local, c.Local, err = parseAddrArg(v)
	case "remote":
		s.Remote, c.Remote, err = parseAddrArg(v)
	case "data":
		c.Data, err = parseData(v)
	case "length":
		c.Length, err = strconv.Atoi(v)
		s.lengthSet = true
	case "buf":
		n, err = bufNames.parse(v)
		c.Buf = model.BufFault(n)
	case "request":
		n, err = strconv.ParseUint(v, 0, 32)
		c.Request = uint32(n)
	case "code":
		n, err = strconv.ParseUint(v, 0, 32)
		c.Code = uint32(n)
	case "level":
		n, err = strconv.ParseUint(v, 0, 32)
		c.Level = uint32(n)
	case "value":
		n, err = strconv.ParseUint(v, 0, 32)
		c.Value = uint32(n)
	case "out":
		c.OutLen, err = strconv.Atoi(v)
	case "node":
		c.Node, err = parseData(v)
	case "service":
		c.Service, err = parseData(v)
	default:
		return fmt.Errorf("unknown argument")
	}
	return err
}

func parseAddrArg(v string) (AddrRef, []byte, error) {
	ref, symbolic, err := parseRef(v)
	if err != nil || symbolic {
		return ref, nil, err
	}
	raw, err := parseAddr(v)
	return AddrRef{}, raw, err
}

// ParseScript reads steps one a line; blank lines and lines starting with
// '#' are skipped. Errors name the line.
func ParseScript(text string) ([]Step, error) {
	var steps []Step
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := ParseStep(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		steps = append(steps, s)
	}
	return steps, nil
}
