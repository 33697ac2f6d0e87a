/*
 * The interactive stack graph (cytoscape.js, laid out by cytoscape-fcose when installed).
 *
 * The element #graph names its data in data-src (the JSON of catalog:graph_data) and its
 * layout in data-layout: "clusters" (the whole stack) or "breadthfirst" (one component's
 * neighbourhood). Boxes are components, arrows are relations. Click a box to open the component.
 *
 * The whole stack is drawn in boxes, one per category group (or department): a stack of more
 * than COLLAPSE_AT components (COLLAPSE_NARROW on a phone) opens with every box closed (one node per group, its arrows
 * counted, and arrows between a closed box and an open one drawn frame to frame), and a click
 * opens a box. The tools above the graph find a component (the graph
 * centres on it and highlights its neighbours, opening its box if needed) and filter by category
 * group, department and lifecycle. After the layout, boxes that still overlap are pushed apart,
 * so no two labels overlap.
 *
 * Once drawn, #graph gets data-ready="true"; after a search, data-focus names the node found
 * (browser tests wait for both). window.stewardGraph is the cytoscape instance; window.stewardGraphTimes
 * the last layout's milliseconds (layout, separate).
 */
(function () {
  "use strict";

  var COLLAPSE_AT = 150;
  var NARROW = 600; // px: a phone
  var COLLAPSE_NARROW = 30;
  var GAP = 8; // the least room between two boxes, in graph units

  // Colour-blind friendly colours (Okabe & Ito).
  var GROUP_COLOURS = {
    "advertising-promotion": "#D55E00",
    "content-experience": "#E69F00",
    "social-relationships": "#CC79A7",
    "commerce-sales": "#009E73",
    "data": "#56B4E9",
    "management": "#F0E442",
    "none": "#BBBBBB"
  };
  var SPARE_COLOURS = ["#0072B2", "#999933", "#882255", "#44AA99", "#AA4499", "#117733"];
  var LIFECYCLE_COLOURS = {
    proposed: "#CC79A7",
    evaluating: "#56B4E9",
    pilot: "#F0E442",
    active: "#009E73",
    sunsetting: "#E69F00",
    retired: "#BBBBBB"
  };
  var EDGE_COLOURS = {data_flow: "#0072B2", depends_on: "#D55E00", hosted_on: "#555555", bundle: "#777777"};
  var spare = 0;

  function groupColour(group) {
    if (!GROUP_COLOURS[group]) {
      GROUP_COLOURS[group] = SPARE_COLOURS[spare % SPARE_COLOURS.length];
      spare += 1;
    }
    return GROUP_COLOURS[group];
  }

  function colourFor(data, mode) {
    if (mode === "lifecycle" && data.kind === "component") {
      return LIFECYCLE_COLOURS[data.lifecycle] || "#BBBBBB";
    }
    return groupColour(data.kind === "component" ? data.group : data.colour_key);
  }

  function labelWidth(ele) {
    return Math.min(130, Math.max(60, ele.data("label").length * 6.5 + 14));
  }

  function style() {
    return [
      {
        selector: "node",
        style: {
          "label": "data(label)",
          "shape": "round-rectangle",
          "background-color": "data(colour)",
          "border-width": 1,
          "border-color": "#333333",
          "color": "#111111",
          "font-size": 11,
          "font-family": "system-ui, sans-serif",
          "text-valign": "center",
          "text-halign": "center",
          "text-wrap": "wrap",
          "text-max-width": 110,
          "width": labelWidth,
          "height": function (ele) { return ele.data("label").length > 18 ? 40 : 28; }
        }
      },
      {
        selector: "node[kind = 'cluster']",
        style: {
          "font-size": 13,
          "font-weight": "bold",
          "border-width": 2,
          "width": function (ele) {
            var longest = Math.max(Math.min(ele.data("name").length, 20), String(ele.data("count")).length + 11);
            return Math.max(90, longest * 8 + 24);
          },
          "text-max-width": function (ele) {
            return Math.max(90, Math.max(Math.min(ele.data("name").length, 20), String(ele.data("count")).length + 11) * 8 + 8);
          },
          "height": function (ele) { return ele.data("name").length > 20 ? 70 : 52; }
        }
      },
      {
        selector: "node[kind = 'box']",
        style: {
          "background-opacity": 0.12,
          "border-style": "dashed",
          "border-color": "#666666",
          "text-valign": "top",
          "text-halign": "center",
          "text-margin-y": -4,
          "font-size": 13,
          "font-weight": "bold",
          "text-max-width": 400,
          "padding": 14
        }
      },
      {selector: "node[?center]", style: {"border-width": 4, "border-color": "#000000", "font-weight": "bold"}},
      {selector: "node[lifecycle = 'retired']", style: {"border-style": "dashed", "color": "#444444"}},
      {selector: "node:selected, node.hover", style: {"border-width": 3, "border-color": "#000000"}},
      {
        selector: "edge",
        style: {
          "width": 2,
          "curve-style": "bezier",
          "line-color": "data(colour)",
          "target-arrow-color": "data(colour)",
          "target-arrow-shape": "triangle",
          "arrow-scale": 1.1
        }
      },
      {selector: "edge[type = 'depends_on']", style: {"line-style": "dashed"}},
      {selector: "edge[type = 'hosted_on']", style: {"line-style": "dotted", "width": 3}},
      {
        selector: "edge[type = 'bundle']",
        style: {
          "width": function (ele) { return Math.min(6, 1.5 + Math.log2(ele.data("count")) / 2); },
          "label": "data(count)", "font-size": 11, "text-background-color": "#ffffff",
          "text-background-opacity": 0.9, "text-background-padding": 2
        }
      },
      {selector: "edge.hover", style: {"width": 4}},
      {selector: ".faded", style: {"opacity": 0.18}},
      {selector: "node.neighbour", style: {"border-width": 3, "border-color": "#000000"}},
      {selector: "node.focus", style: {"border-width": 5, "border-color": "#000000", "font-weight": "bold",
                                       "underlay-color": "#1d5fa8", "underlay-opacity": 0.35, "underlay-padding": 6}},
      {selector: "edge.neighbour", style: {"width": 4}}
    ];
  }

  function hasFcose() {
    try {
      return Boolean(window.cytoscape && window.cytoscape("layout", "fcose"));
    } catch (error) {
      return false;
    }
  }

  function layoutOptions(name, data, size, narrow) {
    if (name === "breadthfirst" && data.center) {
      return {name: "breadthfirst", roots: "#" + data.center, directed: false, spacingFactor: 1.1,
              animate: false, fit: true, padding: 30};
    }
    if (hasFcose()) {
      // Compact on purpose (short edges, strong pull into each box): overlaps left are pushed apart after.
      return Object.assign({name: "fcose", quality: size > 400 ? "draft" : "default", randomize: true,
              animate: false, fit: true, padding: 30, nodeDimensionsIncludeLabels: true,
              packComponents: true,
              // closed boxes stand well apart; components inside an open box stay close
              // (closer on a phone, so that the closed boxes stay legible)
              nodeRepulsion: function (node) { return node.data("kind") === "cluster" ? (narrow ? 8000 : 40000) : 1000; },
              idealEdgeLength: function (edge) { return edge.data("type") === "bundle" ? (narrow ? 50 : 160) : 20; },
              edgeElasticity: function () { return 0.45; },
              nestingFactor: 0.1, gravity: 1.5, gravityCompound: 3, gravityRangeCompound: 0.8,
              numIter: size > 300 ? 600 : 2500,
              tile: true, tilingPaddingVertical: 10, tilingPaddingHorizontal: 10, nodeSeparation: 30},
              window.stewardGraphLayout || {});
    }
    return {name: "cose", animate: false, fit: true, padding: 30, nodeRepulsion: function () { return 9000; },
            idealEdgeLength: function () { return 90; }, randomize: false, numIter: 1500,
            nodeDimensionsIncludeLabels: true};
  }

  // Boxes that still overlap after the layout are pushed apart along the axis where they overlap least:
  // first the components (each a box of its own), then the category boxes, each moved whole with its
  // components. Sweeps over the boxes sorted by left edge compare each only with those it can reach.
  function pushApart(boxes) {
    var moved = true;
    for (var round = 0; round < 150 && moved; round += 1) {
      moved = false;
      boxes.sort(function (a, b) { return (a.x - a.w) - (b.x - b.w); });
      for (var i = 0; i < boxes.length; i += 1) {
        var a = boxes[i];
        for (var j = i + 1; j < boxes.length; j += 1) {
          var b = boxes[j];
          if (b.x - b.w >= a.x + a.w) {
            break;
          }
          var overlapX = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x - a.w, b.x - b.w);
          var overlapY = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y - a.h, b.y - b.h);
          if (overlapX <= 0 || overlapY <= 0) {
            continue;
          }
          moved = true;
          if (overlapX < overlapY) {
            var right = b.x >= a.x ? 1 : -1;
            a.x -= right * (overlapX / 2 + 0.5); b.x += right * (overlapX / 2 + 0.5);
          } else {
            var down = b.y >= a.y ? 1 : -1;
            a.y -= down * (overlapY / 2 + 0.5); b.y += down * (overlapY / 2 + 0.5);
          }
        }
      }
    }
  }

  function boxOf(ele) {
    var bb = ele.boundingBox({includeLabels: true, includeOverlays: false});
    return {ele: ele, x: (bb.x1 + bb.x2) / 2, y: (bb.y1 + bb.y2) / 2, w: bb.w / 2 + GAP / 2, h: bb.h / 2 + GAP / 2,
            x0: (bb.x1 + bb.x2) / 2, y0: (bb.y1 + bb.y2) / 2};
  }

  function shift(nodes, dx, dy) {
    nodes.forEach(function (node) {
      var position = node.position();
      node.position({x: position.x + dx, y: position.y + dy});
    });
  }

  function separate(cy) {
    var leaves = cy.nodes().filter(function (n) { return !n.isParent(); }).map(boxOf);
    pushApart(leaves);
    cy.batch(function () {
      leaves.forEach(function (box) { shift(box.ele, box.x - box.x0, box.y - box.y0); });
    });
    var parents = cy.nodes().filter(function (n) { return n.isParent(); }).map(boxOf);
    var loose = cy.nodes().filter(function (n) { return !n.isParent() && !n.isChild(); }).map(boxOf);
    var tops = parents.concat(loose);
    pushApart(tops);
    cy.batch(function () {
      tops.forEach(function (box) {
        shift(box.ele.isParent() ? box.ele.descendants().filter(function (n) { return !n.isParent(); }) : box.ele,
              box.x - box.x0, box.y - box.y0);
      });
    });
  }

  // The elements shown: components that pass the filters, each in the box of its cluster; a closed box
  // is one node standing for its components, and the arrows to and from them are counted on one arrow.
  function buildElements(data, state, mode) {
    var key = state.clusterBy;
    var nodes = [];
    var boxes = {};
    var stand = {};
    var parentOf = {};
    data.elements.nodes.forEach(function (element) {
      var d = element.data;
      if (!passes(d, state)) {
        return;
      }
      var clusterKey = d[key];
      var clusterLabel = d[key + "_label"];
      if (state.boxes && state.collapsed[clusterKey]) {
        var id = "k-" + key + "-" + clusterKey;
        if (!boxes[id]) {
          boxes[id] = {id: id, kind: "cluster", cluster: clusterKey, name: clusterLabel, count: 0,
                       colour_key: key === "group" ? clusterKey : "dept-" + clusterKey};
        }
        boxes[id].count += 1;
        stand[d.id] = id;
        return;
      }
      var copy = Object.assign({}, d, {kind: "component"});
      if (state.boxes) {
        var parent = "b-" + key + "-" + clusterKey;
        copy.parent = parent;
        if (!boxes[parent]) {
          boxes[parent] = {id: parent, kind: "box", cluster: clusterKey, name: clusterLabel, label: clusterLabel,
                           colour_key: key === "group" ? clusterKey : "dept-" + clusterKey};
        }
      }
      stand[d.id] = d.id;
      if (copy.parent) {
        parentOf[d.id] = copy.parent;
      }
      nodes.push({data: copy});
    });
    var boxNodes = Object.keys(boxes).map(function (id) {
      var box = boxes[id];
      if (box.kind === "cluster") {
        box.label = box.name + "\n" + box.count + " component" + (box.count === 1 ? "" : "s");
      }
      return {data: box};
    });
    var edges = [];
    var bundles = {};
    data.elements.edges.forEach(function (element) {
      var d = element.data;
      var source = stand[d.source];
      var target = stand[d.target];
      if (!source || !target) {
        return;
      }
      if (source === d.source && target === d.target) {
        edges.push({data: Object.assign({}, d, {colour: EDGE_COLOURS[d.type] || "#555555"})});
        return;
      }
      // Between a closed box and a component in an open one, the arrow goes to the open box's frame:
      // one counted arrow per pair of boxes, not one per component.
      if (source !== d.source && target === d.target && parentOf[target]) {
        target = parentOf[target];
      } else if (target !== d.target && source === d.source && parentOf[source]) {
        source = parentOf[source];
      }
      if (source === target) {
        return;
      }
      var id = "e-" + source + "-" + target;
      if (!bundles[id]) {
        bundles[id] = {id: id, source: source, target: target, type: "bundle", count: 0, colour: EDGE_COLOURS.bundle};
      }
      bundles[id].count += 1;
    });
    Object.keys(bundles).forEach(function (id) {
      var bundle = bundles[id];
      bundle.label = bundle.count + " relation" + (bundle.count === 1 ? "" : "s");
      edges.push({data: bundle});
    });
    var all = boxNodes.concat(nodes);
    all.forEach(function (element) { element.data.colour = colourFor(element.data, mode); });
    return {nodes: all, edges: edges, components: nodes.length,
            hidden: Object.keys(boxes).filter(function (id) { return boxes[id].kind === "cluster"; }).length};
  }

  function passes(d, state) {
    return (!state.group || d.group === state.group) && (!state.department || d.department === state.department) &&
      (!state.lifecycle || d.lifecycle === state.lifecycle);
  }

  function renderLegend(cy, mode) {
    var list = document.querySelector("[data-graph-legend-nodes]");
    if (!list) {
      return;
    }
    var seen = {};
    cy.nodes().forEach(function (node) {
      var d = node.data();
      if (d.kind === "box" || (mode === "lifecycle" && d.kind !== "component")) {
        return;
      }
      var key = mode === "lifecycle" ? d.lifecycle : (d.kind === "component" ? d.group : d.colour_key);
      var label = mode === "lifecycle" ? d.lifecycle_label : (d.kind === "component" ? d.group_label : d.name);
      if (mode !== "lifecycle" && d.colour_key && d.colour_key.indexOf("dept-") === 0) {
        label = d.name;
      }
      seen[key] = {label: label, colour: d.colour};
    });
    list.textContent = "";
    Object.keys(seen).sort(function (a, b) {
      return seen[a].label.localeCompare(seen[b].label);
    }).forEach(function (key) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.backgroundColor = seen[key].colour;
      swatch.setAttribute("aria-hidden", "true");
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + seen[key].label));
      list.appendChild(item);
    });
  }

  function renderList(container, data) {
    // A plain list of what the graph shows, for keyboards and screen readers.
    var details = document.createElement("details");
    details.className = "graph-list";
    details.setAttribute("data-testid", "graph-list");
    var summary = document.createElement("summary");
    summary.textContent = "The components shown, as a list (" + data.elements.nodes.length + ")";
    details.appendChild(summary);
    var list = document.createElement("ul");
    data.elements.nodes.forEach(function (node) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = node.data.url;
      link.textContent = node.data.label;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" · " + node.data.group_label + " · " + node.data.lifecycle_label));
      list.appendChild(item);
    });
    details.appendChild(list);
    container.parentElement.appendChild(details);
  }

  function note(text) {
    var element = document.querySelector("[data-graph-note]");
    if (element) {
      element.textContent = text;
      element.hidden = !text;
    }
  }

  function status(text) {
    var element = document.querySelector("[data-graph-status]");
    if (element) {
      element.textContent = text;
    }
  }

  function fillSelect(select, pairs) {
    if (!select) {
      return;
    }
    var chosen = select.value;
    var first = select.options[0];
    select.textContent = "";
    select.appendChild(first);
    pairs.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      option.selected = pair[0] === chosen;
      select.appendChild(option);
    });
  }

  function pairsOf(data, key) {
    var seen = {};
    data.elements.nodes.forEach(function (n) { seen[n.data[key]] = n.data[key + "_label"]; });
    return Object.keys(seen).map(function (k) { return [k, seen[k]]; })
      .sort(function (a, b) { return a[1].localeCompare(b[1]); });
  }

  function find(data, text) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) {
      return null;
    }
    var nodes = data.elements.nodes.map(function (n) { return n.data; });
    var tests = [
      function (d) { return d.label.toLowerCase() === wanted || d.slug === wanted; },
      function (d) { return d.label.toLowerCase().indexOf(wanted) === 0; },
      function (d) { return d.label.toLowerCase().indexOf(wanted) >= 0; }
    ];
    for (var i = 0; i < tests.length; i += 1) {
      var found = nodes.filter(tests[i]);
      if (found.length) {
        return found[0];
      }
    }
    return null;
  }

  function draw(container, data) {
    var colourSelect = document.querySelector("[data-graph-colour]");
    var clusterSelect = document.querySelector("[data-graph-cluster]");
    var mode = colourSelect ? colourSelect.value : "group";
    var whole = container.getAttribute("data-layout") === "clusters";
    var total = data.elements.nodes.length;
    var state = {
      boxes: whole, clusterBy: clusterSelect ? clusterSelect.value : "group", collapsed: {}, group: "",
      department: "", lifecycle: ""
    };
    var filters = {};
    document.querySelectorAll("[data-graph-filter]").forEach(function (select) {
      filters[select.getAttribute("data-graph-filter")] = select;
    });
    if (filters.group && data.elements.nodes.some(function (n) { return n.data.group === filters.group.value; })) {
      state.group = filters.group.value;
    }
    fillSelect(filters.group, pairsOf(data, "group"));
    fillSelect(filters.department, pairsOf(data, "department"));
    fillSelect(filters.lifecycle, Object.keys(data.lifecycles || {}).map(function (k) {
      return [k, data.lifecycles[k]];
    }));

    function closeAll() {
      state.collapsed = {};
      data.elements.nodes.forEach(function (n) { state.collapsed[n.data[state.clusterBy]] = true; });
    }
    // A big stack, or more than a phone can show legibly, opens with its boxes closed.
    if (whole && (total > COLLAPSE_AT || (container.clientWidth < NARROW && total > COLLAPSE_NARROW))) {
      closeAll();
    }

    var names = document.querySelector("[data-graph-names]");
    if (names) {
      data.elements.nodes.slice().sort(function (a, b) { return a.data.label.localeCompare(b.data.label); })
        .forEach(function (n) {
          var option = document.createElement("option");
          option.value = n.data.label;
          names.appendChild(option);
        });
    }

    container.textContent = "";
    var cy = window.cytoscape({
      container: container,
      style: style(),
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 3,
      selectionType: "single"
    });
    window.stewardGraph = cy;

    function clearFocus() {
      cy.elements().removeClass("faded neighbour focus");
      container.removeAttribute("data-focus");
    }

    function focus(id) {
      var node = cy.getElementById(id);
      if (!node.length) {
        return;
      }
      clearFocus();
      var near = node.closedNeighborhood();
      cy.elements().not(near).not(near.ancestors()).addClass("faded");
      near.addClass("neighbour");
      node.removeClass("neighbour").addClass("focus");
      cy.zoom({level: Math.max(cy.zoom(), 1.1), renderedPosition: node.renderedPosition()});
      cy.center(node);
      container.setAttribute("data-focus", id);
      var d = node.data();
      status("Found " + d.label + " (" + d.category + ", " + d.lifecycle_label + "): " +
             (near.nodes().length - 1) + " neighbour" + (near.nodes().length === 2 ? "" : "s") + " highlighted.");
    }

    function rebuild(then) {
      var built = buildElements(data, state, mode);
      container.setAttribute("data-ready", "false");
      cy.elements().remove();
      cy.add(built.nodes);
      cy.add(built.edges);
      var shown = built.components;
      var boxes = built.hidden + " closed box" + (built.hidden === 1 ? "" : "es");
      var message = "Showing " + shown + " of " + total + " component" + (total === 1 ? "" : "s") + ".";
      if (built.hidden && !shown) {
        message = "The " + total + " components are in " + boxes + ": click one to open it, or find a component.";
      } else if (built.hidden) {
        message = "Showing " + shown + " of " + total + " components; the others are in " + boxes +
          " (click one to open it).";
      }
      status(message);
      if (!built.nodes.length) {
        status("No component matches these filters.");
      }
      var began = Date.now();
      cy.one("layoutstop", function () {
        var laidOut = Date.now();
        separate(cy);
        window.stewardGraphTimes = {layout: laidOut - began, separate: Date.now() - laidOut};
        cy.fit(undefined, 30);
        if (cy.zoom() > 1.3) {
          cy.zoom(1.3);
          cy.center();
        }
        renderLegend(cy, mode);
        container.setAttribute("data-ready", "true");
        container.setAttribute("data-node-count", String(cy.nodes("[kind != 'box']").length));
        container.setAttribute("data-edge-count", String(cy.edges().length));
        if (then) {
          then();
        }
      });
      cy.layout(layoutOptions(container.getAttribute("data-layout"), data, cy.nodes().length,
                              container.clientWidth < NARROW)).run();
    }

    function search(text) {
      var d = find(data, text);
      if (!d) {
        status("No component called “" + text.trim() + "” in this graph.");
        container.removeAttribute("data-focus");
        return;
      }
      var changed = false;
      if (!passes(d, state)) {
        ["group", "department", "lifecycle"].forEach(function (key) {
          if (state[key] && state[key] !== d[key]) {
            state[key] = "";
            if (filters[key]) {
              filters[key].value = "";
            }
          }
        });
        changed = true;
      }
      if (state.boxes && state.collapsed[d[state.clusterBy]]) {
        state.collapsed[d[state.clusterBy]] = false;
        changed = true;
      }
      if (changed) {
        rebuild(function () { focus(d.id); });
      } else {
        focus(d.id);
      }
    }

    cy.on("tap", "node, edge", function (event) {
      var d = event.target.data();
      if (d.kind === "cluster") {
        state.collapsed[d.cluster] = false;
        rebuild();
        return;
      }
      if (d.kind === "box") {
        state.collapsed[d.cluster] = true;
        rebuild();
        return;
      }
      if (d.url) {
        window.location.href = d.url;
      }
    });
    cy.on("tap", function (event) {
      if (event.target === cy) {
        clearFocus();
      }
    });
    cy.on("mouseover", "node, edge", function (event) {
      event.target.addClass("hover");
      var d = event.target.data();
      if (d.kind === "cluster") {
        container.title = d.name + ": " + d.count + " components. Click to open the box.";
      } else if (d.kind === "box") {
        container.title = d.name + ". Click the box to close it.";
      } else {
        container.title = event.target.isNode() ? d.label + " · " + d.category + " · " + d.lifecycle_label : d.label;
      }
      container.style.cursor = "pointer";
    });
    cy.on("mouseout", "node, edge", function (event) {
      event.target.removeClass("hover");
      container.title = "";
      container.style.cursor = "";
    });

    if (colourSelect) {
      colourSelect.addEventListener("change", function () {
        mode = colourSelect.value;
        cy.nodes().forEach(function (node) { node.data("colour", colourFor(node.data(), mode)); });
        renderLegend(cy, mode);
      });
    }
    if (clusterSelect) {
      clusterSelect.addEventListener("change", function () {
        var wasClosed = Object.keys(state.collapsed).some(function (k) { return state.collapsed[k]; });
        state.clusterBy = clusterSelect.value;
        state.collapsed = {};
        if (wasClosed) {
          closeAll();
        }
        rebuild();
      });
    }
    Object.keys(filters).forEach(function (key) {
      filters[key].addEventListener("change", function () {
        state[key] = filters[key].value;
        rebuild();
      });
    });
    var tools = document.querySelector("[data-graph-tools]");
    var searchBox = document.querySelector("[data-graph-search]");
    if (tools && searchBox) {
      tools.addEventListener("submit", function (event) {
        event.preventDefault();
        search(searchBox.value);
      });
      searchBox.addEventListener("change", function () {
        if (find(data, searchBox.value) && searchBox.value.trim()) {
          search(searchBox.value);
        }
      });
    }
    var expand = document.querySelector("[data-graph-expand]");
    if (expand) {
      expand.addEventListener("click", function () { state.collapsed = {}; rebuild(); });
    }
    var collapse = document.querySelector("[data-graph-collapse]");
    if (collapse) {
      collapse.addEventListener("click", function () { closeAll(); rebuild(); });
    }
    var fit = document.querySelector("[data-graph-fit]");
    if (fit) {
      fit.addEventListener("click", function () { cy.fit(undefined, 30); });
    }
    cy.stewardSearch = search;
    rebuild();
    renderList(container, data);
    return cy;
  }

  function start() {
    var container = document.getElementById("graph");
    if (!container || !window.cytoscape) {
      if (container) {
        container.textContent = "The graph library is not installed. Run “npm install” and reload.";
        container.setAttribute("data-ready", "error");
      }
      return;
    }
    if (window.cytoscapeFcose && !hasFcose()) {
      window.cytoscape.use(window.cytoscapeFcose);
    }
    fetch(container.getAttribute("data-src"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (!data.elements.nodes.length) {
          container.textContent = "There is nothing to show yet: add components and relations first.";
          container.setAttribute("data-ready", "true");
          container.setAttribute("data-node-count", "0");
          return;
        }
        if (data.truncated) {
          note("Showing the first " + data.elements.nodes.length + " components (most critical first). " +
               "Choose a category group above to see the others.");
        }
        draw(container, data);
      })
      .catch(function (error) {
        container.textContent = "The graph could not be loaded (" + error.message + "). Reload the page to try again.";
        container.setAttribute("data-ready", "error");
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
