package clixml

import (
	"encoding/xml"
	"strings"
)

// object decodes the <Obj> just started.
func (p *parser) object(t xml.StartElement) (*Object, error) {
	o := &Object{RefID: attr(t, "RefId")}
	if o.RefID != "" {
		// A RefId given again (exports pasted together) names the new
		// object from here on, as Import-Clixml reads it.
		p.objs[o.RefID] = o
	}
	p.open[o] = true
	defer delete(p.open, o)
	seenTypes := false
	err := p.children("Obj", func(c xml.StartElement) error {
		switch name := c.Name.Local; name {
		case "TN", "TNRef":
			if seenTypes {
				return p.errorf("<Obj> has more than one <TN> or <TNRef>")
			}
			seenTypes = true
			return p.typeNames(o, c)
		case "ToString":
			s, err := p.text(name)
			o.ToString, o.HasToString = unescape(s), true
			return err
		case "Props", "MS":
			return p.props(o, name)
		}
		if o.Collection != NoCollection || o.Value != nil {
			return p.errorf("<Obj> has more than one value")
		}
		return p.objectValue(o, c)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// typeNames decodes the <TN> or <TNRef> just started into o's type names.
func (p *parser) typeNames(o *Object, t xml.StartElement) error {
	id := attr(t, "RefId")
	if t.Name.Local == "TNRef" {
		if err := p.empty(t.Name.Local); err != nil {
			return err
		}
		names, ok := p.types[id]
		if !ok {
			return p.errorf("<TNRef RefId=%q> refers to no earlier <TN>", id)
		}
		o.TypeNames = names
		return nil
	}
	var names []string
	err := p.children(t.Name.Local, func(tc xml.StartElement) error {
		if tc.Name.Local != "T" {
			return p.errorf("unexpected element <%s> in <TN>", tc.Name.Local)
		}
		s, err := p.text("T")
		names = append(names, unescape(strings.TrimSpace(s)))
		return err
	})
	if err != nil {
		return err
	}
	if id != "" {
		p.types[id] = names // a RefId given again names the new list from here on
	}
	o.TypeNames = names
	return nil
}

// props decodes the <Props> or <MS> just started into o's properties.
func (p *parser) props(o *Object, name string) error {
	return p.children(name, func(pc xml.StartElement) error {
		v, err := p.value(pc)
		if err != nil {
			return err
		}
		o.Props = append(o.Props, Prop{Name: unescape(attr(pc, "N")), Value: v, Extended: name == "MS"})
		return nil
	})
}

// collections are the collection elements of an <Obj> that hold items.
var collections = map[string]Collection{"LST": List, "IE": Enumerable, "STK": Stack, "QUE": Queue}

// objectValue decodes the element just started as o's value: a
// collection, a dictionary, or a primitive value of its own.
func (p *parser) objectValue(o *Object, t xml.StartElement) error {
	name := t.Name.Local
	if c, ok := collections[name]; ok {
		o.Collection, o.Items = c, []Value{}
		return p.children(name, func(ic xml.StartElement) error {
			v, err := p.value(ic)
			o.Items = append(o.Items, v)
			return err
		})
	}
	if name == "DCT" {
		o.Collection, o.Entries = Dictionary, []Entry{}
		return p.children(name, func(ec xml.StartElement) error {
			if ec.Name.Local != "En" {
				return p.errorf("unexpected element <%s> in <DCT>", ec.Name.Local)
			}
			return p.entry(o)
		})
	}
	v, err := p.value(t)
	if err != nil {
		return err
	}
	o.Value = &v
	return nil
}

// entry decodes the <En> just started: a key and a value, named by their
// N attributes ("Key", "Value") or, without them, in that order.
func (p *parser) entry(o *Object) error {
	var e Entry
	n := 0
	err := p.children("En", func(c xml.StartElement) error {
		v, err := p.value(c)
		if err != nil {
			return err
		}
		switch attr(c, "N") {
		case "Key":
			e.Key = v
		case "Value":
			e.Value = v
		default:
			switch n {
			case 0:
				e.Key = v
			case 1:
				e.Value = v
			default:
				return p.errorf("<En> has more than a key and a value")
			}
		}
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if n != 2 {
		return p.errorf("<En> needs a key and a value, has %d element(s)", n)
	}
	o.Entries = append(o.Entries, e)
	return nil
}
