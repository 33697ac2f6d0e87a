/*
 * The interactive stack graph (cytoscape.js).
 *
 * The element #graph names its data in data-src (the JSON of catalog:graph_data) and its
 * layout in data-layout. Boxes are components, arrows are relations. Click a box to open
 * the component. Once drawn, #graph gets data-ready="true" (browser tests wait for it).
 */
(function () {
  "use strict";

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
  var EDGE_COLOURS = {data_flow: "#0072B2", depends_on: "#D55E00", hosted_on: "#555555"};

  function groupColour(group) {
    if (!GROUP_COLOURS[group]) {
      var used = Object.keys(GROUP_COLOURS).length;
      GROUP_COLOURS[group] = SPARE_COLOURS[used % SPARE_COLOURS.length];
    }
    return GROUP_COLOURS[group];
  }

  function colourFor(node, mode) {
    if (mode === "lifecycle") {
      return LIFECYCLE_COLOURS[node.data("lifecycle")] || "#BBBBBB";
    }
    return groupColour(node.data("group"));
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
          "width": function (ele) { return Math.min(130, Math.max(60, ele.data("label").length * 6.5 + 14)); },
          "height": function (ele) { return ele.data("label").length > 18 ? 40 : 28; }
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
      {selector: "edge.hover", style: {"width": 4}}
    ];
  }

  function layoutOptions(name, data) {
    if (name === "breadthfirst" && data.center) {
      return {name: "breadthfirst", roots: "#" + data.center, directed: false, spacingFactor: 1.1,
              animate: false, fit: true, padding: 30};
    }
    return {name: "cose", animate: false, fit: true, padding: 30, nodeRepulsion: function () { return 9000; },
            idealEdgeLength: function () { return 90; }, randomize: false, numIter: 1500};
  }

  function renderLegend(cy, mode, data) {
    var list = document.querySelector("[data-graph-legend-nodes]");
    if (!list) {
      return;
    }
    var seen = {};
    cy.nodes().forEach(function (node) {
      var key = mode === "lifecycle" ? node.data("lifecycle") : node.data("group");
      var label = mode === "lifecycle" ? node.data("lifecycle_label") : node.data("group_label");
      seen[key] = {label: label, colour: node.data("colour")};
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

  function draw(container, data) {
    var colourSelect = document.querySelector("[data-graph-colour]");
    var mode = colourSelect ? colourSelect.value : "group";
    container.textContent = "";
    data.elements.edges.forEach(function (edge) {
      edge.data.colour = EDGE_COLOURS[edge.data.type] || "#555555";
    });
    var cy = window.cytoscape({
      container: container,
      elements: data.elements,
      style: style(),
      wheelSensitivity: 0.3,
      minZoom: 0.1,
      maxZoom: 3,
      selectionType: "single"
    });
    cy.nodes().forEach(function (node) { node.data("colour", colourFor(node, mode)); });

    cy.one("layoutstop", function () {
      if (cy.zoom() > 1.3) {
        cy.zoom(1.3);
        cy.center();
      }
      container.setAttribute("data-ready", "true");
      container.setAttribute("data-node-count", String(cy.nodes().length));
      container.setAttribute("data-edge-count", String(cy.edges().length));
    });
    cy.layout(layoutOptions(container.getAttribute("data-layout"), data)).run();

    cy.on("tap", "node, edge", function (event) {
      var url = event.target.data("url");
      if (url) {
        window.location.href = url;
      }
    });
    cy.on("mouseover", "node, edge", function (event) {
      event.target.addClass("hover");
      var d = event.target.data();
      container.title = event.target.isNode() ? d.label + " · " + d.category + " · " + d.lifecycle_label : d.label;
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
        cy.nodes().forEach(function (node) { node.data("colour", colourFor(node, mode)); });
        renderLegend(cy, mode, data);
      });
    }
    var fit = document.querySelector("[data-graph-fit]");
    if (fit) {
      fit.addEventListener("click", function () { cy.fit(undefined, 30); });
    }
    renderLegend(cy, mode, data);
    renderList(container, data);
    window.stewardGraph = cy;
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
