// The storefront's one script: no framework, no build step, same origin only. It talks to the JSON
// API of this server (/api/v1) and builds every element from data with textContent, never HTML
// strings, so a seller's or buyer's text is always shown as text.
//
// What the browser keeps (localStorage): the cart id of each store it shops at, the signed-in
// customer's token and mobile, and the Idempotency-Key of each cart's order, so a retried "Place
// order" can never become two orders.
(function () {
  'use strict';

  var body = document.body;
  var slug = body.dataset.slug;
  var page = body.dataset.page;
  if (!slug) return;

  var API = '/api/v1';
  var CART_KEY = 'dukaan:cart:' + slug;
  var CUSTOMER_KEY = 'dukaan:customer';
  var money = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });
  var STATUS_WORDS = {
    PENDING: 'Placed: waiting for the store to accept it',
    ACCEPTED: 'Accepted by the store',
    SHIPPED: 'On its way',
    DELIVERED: 'Delivered',
    REJECTED: 'The store could not take this order',
    CANCELLED: 'Cancelled',
  };

  function rupees(n) {
    return money.format(n);
  }

  var saved = {
    get: function (key) {
      try {
        return JSON.parse(localStorage.getItem(key));
      } catch {
        return null;
      }
    },
    set: function (key, value) {
      localStorage.setItem(key, JSON.stringify(value));
    },
    drop: function (key) {
      localStorage.removeItem(key);
    },
  };

  /** One call to the JSON API: { status, ok, data } whatever happens (a network failure is status 0). */
  function api(method, path, options) {
    options = options || {};
    var headers = {};
    if (options.body) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = 'Bearer ' + options.token;
    if (options.key) headers['idempotency-key'] = options.key;
    return fetch(API + path, { method: method, headers: headers, body: options.body ? JSON.stringify(options.body) : undefined })
      .then(function (res) {
        if (res.status === 204) return { status: 204, ok: true, data: null };
        return res
          .json()
          .catch(function () {
            return null;
          })
          .then(function (data) {
            return { status: res.status, ok: res.ok, data: data };
          });
      })
      .catch(function () {
        return { status: 0, ok: false, data: { detail: 'No connection. Check your internet and try again.' } };
      });
  }

  /**
   * A call as the signed-in customer. Access tokens live minutes: on a 401 the kept refresh token
   * gets the next pair once, and the call is made again.
   */
  function asCustomer(method, path, options) {
    var customer = saved.get(CUSTOMER_KEY);
    if (!customer) return Promise.resolve({ status: 401, ok: false, data: null });
    return api(method, path, Object.assign({}, options, { token: customer.token })).then(function (answer) {
      if (answer.status !== 401 || !customer.refreshToken) return answer;
      return api('POST', '/auth/refresh', { body: { refreshToken: customer.refreshToken } }).then(function (renewed) {
        if (!renewed.ok) {
          saved.drop(CUSTOMER_KEY);
          return answer;
        }
        customer.token = renewed.data.token;
        customer.refreshToken = renewed.data.refreshToken;
        saved.set(CUSTOMER_KEY, customer);
        return api(method, path, Object.assign({}, options, { token: customer.token }));
      });
    });
  }

  function problemText(answer) {
    return (answer.data && answer.data.detail) || 'Something went wrong. Please try again.';
  }

  /** h('p', { class: 'x' }, 'text', child): an element, its attributes and its children (text is text). */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value === null || value === undefined) return;
      if (name.slice(0, 2) === 'on') el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : String(value));
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  function announce(text, kind) {
    var el = document.getElementById('status');
    el.dataset.kind = kind || 'info';
    el.textContent = text;
    clearTimeout(announce.timer);
    announce.timer = setTimeout(function () {
      el.textContent = '';
    }, 6000);
  }

  function showCount(cart) {
    var count = cart && cart.itemCount ? '(' + cart.itemCount + ')' : '';
    document.querySelectorAll('[data-cart-count]').forEach(function (el) {
      el.textContent = count;
    });
  }

  function randomKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b + 256).toString(16).slice(1);
      })
      .join('');
  }

  // ---- The cart ----------------------------------------------------------------------------

  /** This store's cart, or null when there is none (an expired one is forgotten). */
  function currentCart() {
    var id = saved.get(CART_KEY);
    if (!id) return Promise.resolve(null);
    return api('GET', '/carts/' + id).then(function (answer) {
      if (answer.status === 404) {
        saved.drop(CART_KEY);
        return null;
      }
      if (!answer.ok) throw answer;
      return answer.data;
    });
  }

  function cartId() {
    var id = saved.get(CART_KEY);
    if (id) return Promise.resolve(id);
    return api('POST', '/carts', { body: { storeLink: slug } }).then(function (answer) {
      if (!answer.ok) throw answer;
      saved.set(CART_KEY, answer.data.id);
      return answer.data.id;
    });
  }

  /** Adds to the cart, making one when there is none or the one kept has expired. */
  function addToCart(productId, qty, retried) {
    return cartId().then(function (id) {
      return api('POST', '/carts/' + id + '/items', { body: { productId: productId, qty: qty, storeLink: slug } }).then(function (answer) {
        if (answer.status !== 404 || retried) return answer;
        // Either the cart expired or the product went: ask which.
        return api('GET', '/carts/' + id).then(function (cart) {
          if (cart.status !== 404) return answer;
          saved.drop(CART_KEY);
          return addToCart(productId, qty, true);
        });
      });
    });
  }

  /** "Add to cart" buttons: the product is the card's (or the product page's) `data-product`, its name the heading's. */
  function wireAddButtons() {
    document.addEventListener('click', function (event) {
      var button = event.target.closest('[data-add]');
      if (!button) return;
      var product = button.closest('[data-product]');
      var name = product.querySelector('h1, h3').textContent;
      var qtyField = document.getElementById('qty');
      var qty = qtyField ? parseInt(qtyField.value, 10) || 1 : 1;
      button.disabled = true;
      addToCart(product.dataset.product, qty)
        .then(function (answer) {
          if (answer.ok) {
            showCount(answer.data);
            announce('Added ' + name + ' to your cart.');
          } else {
            announce(problemText(answer), 'error');
          }
        })
        .catch(function (answer) {
          announce(problemText(answer), 'error');
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  }

  function cartPage() {
    var view = document.getElementById('cart-view');

    function render(cart) {
      view.setAttribute('aria-busy', 'false');
      view.replaceChildren();
      showCount(cart);
      if (!cart || cart.items.length === 0) {
        view.append(h('p', { class: 'empty' }, 'Your cart is empty.'), h('a', { class: 'button', href: '/' + slug }, 'Browse the store'));
        return;
      }
      var list = h('ul', { class: 'lines' });
      cart.items.forEach(function (item) {
        var qty = h('input', {
          type: 'number',
          inputmode: 'numeric',
          min: 1,
          max: 99,
          value: item.qty,
          'aria-label': 'Quantity of ' + item.name,
          onchange: function () {
            change(item, parseInt(qty.value, 10) || 0);
          },
        });
        list.append(
          h(
            'li',
            { class: 'line', 'data-line': item.productId },
            h('span', { class: 'line-name' }, item.name, h('br'), h('small', {}, rupees(item.salePrice) + ' each')),
            h('span', { class: 'line-total' }, rupees(item.lineTotal)),
            h(
              'div',
              { class: 'stepper' },
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': 'One less ' + item.name,
                  onclick: function () {
                    change(item, item.qty - 1);
                  },
                },
                '−',
              ),
              qty,
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': 'One more ' + item.name,
                  onclick: function () {
                    change(item, item.qty + 1);
                  },
                },
                '+',
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'remove',
                  onclick: function () {
                    remove(item);
                  },
                },
                'Remove',
                h('span', { class: 'sr' }, ' ' + item.name),
              ),
            ),
          ),
        );
      });
      view.append(list, totals(cart), h('a', { class: 'button', href: '/' + slug + '/checkout' }, 'Checkout'));
    }

    function change(item, qty) {
      var path = '/carts/' + saved.get(CART_KEY) + '/items/' + item.productId;
      var call = qty <= 0 ? api('DELETE', path) : api('PATCH', path, { body: { qty: Math.min(qty, 99) } });
      return call.then(after);
    }

    function remove(item) {
      return api('DELETE', '/carts/' + saved.get(CART_KEY) + '/items/' + item.productId).then(function (answer) {
        if (answer.ok) announce('Removed ' + item.name + '.');
        return after(answer);
      });
    }

    function after(answer) {
      if (answer.ok) return render(answer.data);
      announce(problemText(answer), 'error');
      return currentCart().then(render);
    }

    currentCart()
      .then(render)
      .catch(function (answer) {
        view.replaceChildren(h('p', { class: 'error' }, problemText(answer)));
      });
  }

  function totals(cart) {
    var list = h('dl', { class: 'totals' });
    list.append(h('dt', {}, 'Items'), h('dd', {}, String(cart.itemCount)));
    if (cart.savings > 0)
      list.append(
        h('dt', {}, 'MRP'),
        h('dd', {}, h('s', {}, rupees(cart.mrpTotal))),
        h('dt', {}, 'You save'),
        h('dd', {}, rupees(cart.savings)),
      );
    list.append(h('dt', { class: 'grand' }, 'To pay'), h('dd', { class: 'grand' }, rupees(cart.subtotal)));
    return list;
  }

  // ---- Checkout ----------------------------------------------------------------------------

  function checkoutPage() {
    var summary = document.getElementById('summary');
    var error = document.getElementById('checkout-error');
    var mobileForm = document.getElementById('mobile-form');
    var otpForm = document.getElementById('otp-form');
    var addressForm = document.getElementById('address-form');
    var mobile = '';

    function fail(answer) {
      error.textContent = problemText(answer);
    }

    function step(form) {
      [mobileForm, otpForm, addressForm].forEach(function (f) {
        f.hidden = f !== form;
      });
      var first = form.querySelector('input');
      if (first) first.focus();
    }

    function showSummary(cart) {
      summary.replaceChildren();
      showCount(cart);
      if (!cart || cart.items.length === 0) {
        summary.append(
          h('p', { class: 'empty' }, 'Your cart is empty.'),
          h('a', { class: 'button', href: '/' + slug }, 'Browse the store'),
        );
        [mobileForm, otpForm, addressForm].forEach(function (f) {
          f.hidden = true;
        });
        return false;
      }
      var list = h('ul', { class: 'lines' });
      cart.items.forEach(function (item) {
        list.append(
          h(
            'li',
            { class: 'line' },
            h('span', { class: 'line-name' }, item.qty + ' × ' + item.name),
            h('span', { class: 'line-total' }, rupees(item.lineTotal)),
          ),
        );
      });
      summary.append(h('h2', {}, 'Your order'), list, totals(cart));
      return true;
    }

    function signedIn(customer) {
      var who = document.getElementById('signed-in');
      who.textContent = 'Signed in as ' + customer.mobile + '. ';
      who.append(h('button', { type: 'button', class: 'link', onclick: signOut }, 'Not you?'));
      var address = customer.address || {};
      ['line1', 'line2', 'city', 'state', 'pincode'].forEach(function (name) {
        if (address[name] && !addressForm.elements[name].value) addressForm.elements[name].value = address[name];
      });
      step(addressForm);
    }

    function signOut() {
      var customer = saved.get(CUSTOMER_KEY);
      // Ends the session on the server too, so the token kept here stops working everywhere.
      if (customer) api('POST', '/auth/logout', { token: customer.token });
      saved.drop(CUSTOMER_KEY);
      step(mobileForm);
    }

    mobileForm.addEventListener('submit', function (event) {
      event.preventDefault();
      error.textContent = '';
      mobile = mobileForm.elements.mobile.value.trim();
      api('POST', '/customer/auth/otp', { body: { mobile: mobile } }).then(function (answer) {
        if (!answer.ok) return fail(answer);
        announce('We sent an OTP to ' + answer.data.mobile + '.');
        step(otpForm);
      });
    });

    document.getElementById('change-mobile').addEventListener('click', function () {
      step(mobileForm);
    });

    otpForm.addEventListener('submit', function (event) {
      event.preventDefault();
      error.textContent = '';
      api('POST', '/customer/auth', { body: { mobile: mobile, otp: otpForm.elements.otp.value.trim() } }).then(function (answer) {
        if (!answer.ok) return fail(answer);
        saved.set(CUSTOMER_KEY, { token: answer.data.token, refreshToken: answer.data.refreshToken, mobile: answer.data.customer.mobile });
        signedIn(answer.data.customer);
      });
    });

    addressForm.addEventListener('submit', function (event) {
      event.preventDefault();
      error.textContent = '';
      var id = saved.get(CART_KEY);
      var address = {};
      ['line1', 'line2', 'city', 'state', 'pincode'].forEach(function (name) {
        var value = addressForm.elements[name].value.trim();
        if (value) address[name] = value;
      });
      var keyName = 'dukaan:order-key:' + id;
      var key = saved.get(keyName) || randomKey();
      saved.set(keyName, key);
      var button = document.getElementById('place-order');
      button.disabled = true;
      asCustomer('POST', '/orders', { body: { cartId: id, address: address }, key: key })
        .then(function (answer) {
          if (answer.status === 201) {
            saved.drop(CART_KEY);
            saved.drop(keyName);
            location.assign('/' + slug + '/orders/' + answer.data.id);
            return;
          }
          if (answer.status === 401) {
            signOut();
            return fail({ data: { detail: 'Please sign in again to place the order.' } });
          }
          fail(answer);
          // Prices or stock changed: the cart now says what the order would be; show it.
          if (answer.status === 409) return currentCart().then(showSummary);
        })
        .finally(function () {
          button.disabled = false;
        });
    });

    currentCart()
      .then(function (cart) {
        if (!showSummary(cart)) return;
        var customer = saved.get(CUSTOMER_KEY);
        if (!customer) return step(mobileForm);
        // A kept token may have expired: ask the API who it is.
        return asCustomer('GET', '/customer/me').then(function (answer) {
          if (answer.ok) signedIn(answer.data);
          else signOut();
        });
      })
      .catch(fail);
  }

  // ---- The order ---------------------------------------------------------------------------

  function orderPage() {
    var view = document.getElementById('order-view');
    var orderId = location.pathname.split('/').pop();
    var customer = saved.get(CUSTOMER_KEY);

    function say(text) {
      view.setAttribute('aria-busy', 'false');
      view.replaceChildren(h('p', { class: 'note' }, text));
    }

    if (!customer) return say('This order is shown only on the phone that placed it, while signed in.');
    asCustomer('GET', '/orders/' + orderId).then(function (answer) {
      if (answer.status === 401) return say('Sign in again at checkout on this phone to see this order.');
      if (!answer.ok) return say('This order is shown only on the phone that placed it, while signed in.');
      var order = answer.data;
      var list = h('ul', { class: 'lines' });
      order.items.forEach(function (item) {
        list.append(
          h(
            'li',
            { class: 'line' },
            h('span', { class: 'line-name' }, item.qty + ' × ' + item.name),
            h('span', { class: 'line-total' }, rupees(item.lineTotal)),
          ),
        );
      });
      var a = order.address;
      view.setAttribute('aria-busy', 'false');
      view.replaceChildren(
        h('p', {}, h('span', { class: 'status-badge', 'data-status': order.status }, STATUS_WORDS[order.status] || order.status)),
        h(
          'p',
          {},
          'Order ',
          h('strong', {}, '#' + order.id.replace(/-/g, '').slice(-8).toUpperCase()),
          ', placed ' + new Date(order.createdAt).toLocaleString('en-IN', { dateStyle: 'medium', timeStyle: 'short' }),
        ),
        list,
        totals(order),
        h('h2', {}, 'Delivery'),
        a
          ? h('p', { class: 'address', 'data-address': '' }, [a.line1, a.line2, a.city, a.state, a.pincode].filter(Boolean).join(', '))
          : h('p', {}, 'Picked up at the store.'),
        h('p', { 'data-mobile': '' }, 'Mobile: ' + customer.mobile),
        h('a', { class: 'button', href: '/' + slug }, 'Back to the store'),
      );
    });
  }

  // ---- Live stock --------------------------------------------------------------------------

  var MAX_LINE_QTY = 99;
  var LOW_STOCK = 5;

  /**
   * The store's public event stream: stock shown on this page follows sales as they happen ("Out
   * of stock" comes and goes, "Only N left" counts down) without a reload. EventSource comes back
   * by itself after a drop and resumes after the last event it saw.
   */
  function liveStock() {
    if (!window.EventSource) return;
    var source = new EventSource(API + '/stores/' + encodeURIComponent(slug) + '/events');
    source.addEventListener('product.stock_changed', function (event) {
      var change = JSON.parse(event.data);
      document.querySelectorAll('[data-product]').forEach(function (el) {
        if (el.dataset.product === change.productId) showStock(el, change.stock);
      });
    });
    window.addEventListener('pagehide', function () {
      source.close();
    });
  }

  /** One product's stock, on its card (store page) or its page: the buy controls or "Out of stock", and the low-stock line. */
  function showStock(el, stock) {
    var onPage = el.tagName === 'ARTICLE';
    var buy = el.querySelector('.buy') || el;
    var name = el.querySelector('h1, h3').textContent;
    var button = buy.querySelector('[data-add]');
    var soldOut = buy.querySelector('.oos');
    if (stock === 0 && button) {
      buy.querySelectorAll('.qty-label, .qty, [data-add]').forEach(function (c) {
        c.remove();
      });
      buy.append(h('p', { class: 'oos' }, 'Out of stock'));
      if (onPage) announce(name + ' is now out of stock.');
    } else if (stock > 0 && soldOut) {
      soldOut.remove();
      if (onPage) {
        buy.append(
          h('label', { class: 'qty-label', for: 'qty' }, 'Quantity'),
          h('input', { class: 'qty', id: 'qty', name: 'qty', type: 'number', inputmode: 'numeric', min: 1, value: 1 }),
        );
      }
      buy.append(h('button', { type: 'button', class: 'button', 'data-add': true }, 'Add to cart', h('span', { class: 'sr' }, ' ' + name)));
    }
    var qty = buy.querySelector('.qty');
    if (qty) qty.max = String(Math.min(MAX_LINE_QTY, stock));
    if (!onPage) return;
    var low = el.querySelector('[data-low-stock]');
    if (stock > 0 && stock <= LOW_STOCK) {
      if (!low) el.querySelector('.price').after((low = h('p', { class: 'low', 'data-low-stock': true })));
      low.textContent = 'Only ' + stock + ' left';
    } else if (low) {
      low.remove();
    }
  }

  // ---- Start -------------------------------------------------------------------------------

  if (page === 'store' || page === 'product') {
    wireAddButtons();
    currentCart().then(showCount, function () {});
    liveStock();
  }
  if (page === 'cart') cartPage();
  if (page === 'checkout') checkoutPage();
  if (page === 'order') orderPage();
})();
