/* mapper atlas engine, state.js: what the map shows at step k, replayed from the payload.
 *
 * payload.base holds each unit's holder before the page's first step; every step only its changes.
 * The state of step k is the base with the changes of steps 0..k applied, by unit id (computed once,
 * from step k-1's); the claims in force come whole with each step.
 */
(function (M) {
  "use strict";
  M.createState = function (D) {
    var nU = D.units.length, unitIndex = {}, zoneById = {}, eventById = {}, placeIndex = {};
    D.units.forEach(function (u, i) { unitIndex[u.id] = i; });
    D.steps.forEach(function (st) {  // what the payload leaves out as the default, put back once, here:
      st.changes.concat(st.claim_changes).forEach(function (c) {
        if (c.km2 == null) c.km2 = D.units[unitIndex[c.unit]].km2;  // the area: its unit's
        if (c.from_name == null) c.from_name = st.names[c.from_holder];  // a holder's name: the step's for it
        if (c.to_name == null) c.to_name = st.names[c.to_holder];
      });
    });
    D.zones.forEach(function (z) { zoneById[z.id] = z; });
    D.events.forEach(function (e) {  // an event's year is its date's last word unless the payload gives it
      eventById[e.id] = e;
      if (e.year == null) e.year = e.date.split(" ").pop();
    });
    D.places.forEach(function (p, i) { placeIndex[p.id] = i; });
    var baseByUnit = {};
    D.base.forEach(function (b) { baseByUnit[b.unit] = b; });

    var states = [];  // each step's state, computed once, from the one before (never changed after)
    function compute(k) {  // {k, holder[i], name[i] (an other holder's own name), since[i] (event id), changed[i]}
      if (states[k]) return states[k];
      var holder, name, since, changed = new Uint8Array(nU), paper = new Uint8Array(nU), step = D.steps[k];
      if (k > 0) {
        var before = compute(k - 1);
        holder = before.holder.slice(); name = before.name.slice(); since = before.since.slice();
      } else {
        holder = new Array(nU); name = new Array(nU); since = new Array(nU);
        D.units.forEach(function (u, i) {
          var b = baseByUnit[u.id];
          holder[i] = b.holder; name[i] = b.holder_name; since[i] = b.since;
        });
      }
      step.changes.forEach(function (c) {
        var i = unitIndex[c.unit];
        holder[i] = c.to_holder; name[i] = c.to_name; since[i] = step.event; changed[i] = 1;
      });
      step.claim_changes.forEach(function (c) { paper[unitIndex[c.unit]] = 1; });  // changed on paper only
      var claims = D.units.map(function (u) { return step.claims[u.id] || []; });
      return (states[k] = { k: k, holder: holder, name: name, since: since, changed: changed, paper: paper, claims: claims });
    }
    function holderName(st, i) {  // the holder's name on the step's date
      var h = st.holder[i];
      return h === "other" ? (st.name[i] || "Other") : D.steps[st.k].names[h];
    }
    function claimantName(st, h) {  // a claimant's name on the step's date
      return D.steps[st.k].names[h] || D.style.holder_labels[h];
    }
    function eventOf(k) { return eventById[D.steps[k].event]; }
    function stepOf(id) {
      for (var k = 0; k < D.steps.length; k++) if (D.steps[k].event === id) return k;
      return -1;
    }
    return { compute: compute, holderName: holderName, claimantName: claimantName, eventOf: eventOf, stepOf: stepOf, unitIndex: unitIndex,
             zoneById: zoneById, eventById: eventById, placeIndex: placeIndex };
  };
})(window.MapperAtlas = window.MapperAtlas || {});
